import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SerializationError } from '../errors/serialization-error.js';

/** What a redacted value is stored as: a marker the timeline can show, sealed with the secrets key when there is one. */
export interface RedactedMarker {
  /** `sealed` (AES-256-GCM, readable with the secrets key) or `dropped` (no key: the value is gone). */
  readonly $redacted: 'sealed' | 'dropped';
  /** base64 of iv (12 B) + tag (16 B) + ciphertext of the value's JSON, when sealed. */
  readonly sealed?: string;
}

/** Shown in views in place of a redacted value. */
export const REDACTED_TEXT = '[REDACTED]';

/** The field names redacted when no policy is configured (compared case-insensitively, `-` and `_` ignored). */
export const DEFAULT_REDACTED_FIELDS: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'api_key',
  'x-api-key',
  'access_token',
  'refresh_token',
]);

/** A sealed value that cannot be opened (wrong key, damaged bytes). */
export class SealedValueError extends SerializationError {
  readonly code = 'CORRUPTED_DATA';

  constructor(reason: string) {
    super(`a redacted value cannot be unsealed: ${reason}`);
  }
}

const normalize = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

/** True for a value the redactor wrote. */
export function isRedactedMarker(value: unknown): value is RedactedMarker {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const marker = (value as Record<string, unknown>)['$redacted'];
  return marker === 'sealed' || marker === 'dropped';
}

/**
 * The redaction policy: values of the named fields (at any depth) are replaced before
 * storage by a marker, so views show that a value was there (`[REDACTED]`) but never the
 * value. With a 32-byte secrets key the marker seals the value (AES-256-GCM) and the engine,
 * which holds the key, can read it back when it refolds an execution; without a key the
 * value is dropped.
 */
export class Redactor {
  private readonly fields: Set<string>;

  constructor(
    fields: readonly string[] = DEFAULT_REDACTED_FIELDS,
    private readonly key?: Uint8Array,
  ) {
    if (key && key.length !== 32) throw new RangeError(`the secrets key must be 32 bytes, got ${key.length}`);
    this.fields = new Set(fields.map(normalize));
  }

  /** Whether values named `field` are redacted. */
  covers(field: string): boolean {
    return this.fields.has(normalize(field));
  }

  /**
   * `value` with every covered field's value replaced by a marker (markers already there are
   * kept). A cycle is left in place for the serializer's validation to report.
   */
  redact(value: unknown, ancestors: Set<object> = new Set()): unknown {
    if (this.fields.size === 0 || value === null || typeof value !== 'object' || isRedactedMarker(value) || ancestors.has(value)) return value;
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.redact(item, ancestors));
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) out[name] = this.covers(name) && !isRedactedMarker(item) ? this.seal(item) : this.redact(item, ancestors);
      return out;
    } finally {
      ancestors.delete(value);
    }
  }

  /** `value` with sealed markers opened (when this redactor has the key); other markers stay. */
  reveal(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (isRedactedMarker(value)) return value.$redacted === 'sealed' && this.key && value.sealed ? this.open(value.sealed) : value;
    if (Array.isArray(value)) return value.map((item) => this.reveal(item));
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, this.reveal(item)]));
  }

  private seal(value: unknown): RedactedMarker {
    if (!this.key) return { $redacted: 'dropped' };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value ?? null), 'utf8'), cipher.final()]);
    return { $redacted: 'sealed', sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  private open(sealed: string): unknown {
    const bytes = Buffer.from(sealed, 'base64');
    if (bytes.length < 28 || !this.key) throw new SealedValueError('too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
    } catch (error) {
      throw new SealedValueError(error instanceof Error ? error.message : String(error));
    }
  }
}

/** `value` as views show it: every redaction marker replaced by `[REDACTED]`. */
export function concealRedacted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isRedactedMarker(value)) return REDACTED_TEXT;
  if (Array.isArray(value)) return value.map(concealRedacted);
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, concealRedacted(item)]));
}
