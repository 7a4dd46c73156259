import { createHash } from 'node:crypto';
import { CompressionCodec } from '@flunq/proto-types';
import { CorruptedDataError, compressBytes, decompressBytes, defaultCompressionOptions } from '@flunq/serializer';
import { DefinitionConflictError, DefinitionTooLargeError, InvalidArgumentError, StorageFailureError } from '../errors/store-errors.js';
import { DefinitionReply } from '../redis/scripts.js';
import { assertValidId, assertValidTenantId } from '../keys/key-builder.js';
import type { ListWorkflowsOptions, RegisterDefinitionInput, RegisterDefinitionResult, WorkflowRef } from './definition-store.js';

/** Default largest definition source: 1 MiB of UTF-8. */
export const DEFAULT_MAX_SOURCE_BYTES = 1024 * 1024;
/** Longest version string. */
export const MAX_VERSION_LENGTH = 64;
/** Default page of {@link DefinitionStore.listWorkflows}. */
export const DEFAULT_WORKFLOW_PAGE_SIZE = 100;
/** Largest page of {@link DefinitionStore.listWorkflows}. */
export const MAX_WORKFLOW_PAGE_SIZE = 1000;

const VERSION = /^[A-Za-z0-9._+-]{1,64}$/;
const LONE_SURROGATE = /\p{Cs}/u;

/** A version as stored: validated, hashed and (over 1 KiB, when it helps) compressed. */
export interface DefinitionRecord {
  readonly tenantId: string;
  readonly workflowId: string;
  readonly version: string;
  readonly sha256: string;
  readonly registeredAtMs: number;
  /** Codec of `data` (UNSPECIFIED = the plain UTF-8 bytes). */
  readonly codec: CompressionCodec;
  /** UTF-8 size of the source. */
  readonly size: number;
  /** The bytes to store. */
  readonly data: Uint8Array;
}

/** Throws unless both ids can be used in definition keys. */
export function assertWorkflowRef(ref: WorkflowRef): void {
  assertValidTenantId(ref.tenantId);
  assertValidId(ref.workflowId, 'workflow');
}

/** Throws {@link InvalidArgumentError} unless `version` is 1..64 characters of `[A-Za-z0-9._+-]`. */
export function assertValidVersion(version: unknown): asserts version is string {
  if (typeof version !== 'string' || !VERSION.test(version)) {
    const shown = typeof version === 'string' ? JSON.stringify(version.length > 80 ? `${version.slice(0, 80)}...` : version) : String(version);
    throw new InvalidArgumentError('version', `must be 1..${MAX_VERSION_LENGTH} characters of [A-Za-z0-9._+-], got ${shown}`);
  }
}

/** Validates `maxSourceBytes`, defaulting to {@link DEFAULT_MAX_SOURCE_BYTES}. */
export function resolveMaxSourceBytes(maxSourceBytes: number | undefined): number {
  if (maxSourceBytes === undefined) return DEFAULT_MAX_SOURCE_BYTES;
  if (!Number.isSafeInteger(maxSourceBytes) || maxSourceBytes < 1) {
    throw new InvalidArgumentError('maxSourceBytes', `must be a positive integer, got ${maxSourceBytes}`);
  }
  return maxSourceBytes;
}

/** Validates the page size of `listWorkflows`. */
export function workflowPageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_WORKFLOW_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_WORKFLOW_PAGE_SIZE) {
    throw new InvalidArgumentError('limit', `must be an integer in 1..${MAX_WORKFLOW_PAGE_SIZE}, got ${limit}`);
  }
  return limit;
}

/** Validates the options of `listWorkflows`; the cursor is the last workflow id of the previous page. */
export function checkListOptions(options: ListWorkflowsOptions): { limit: number; cursor: string | undefined } {
  assertValidTenantId(options.tenantId);
  const limit = workflowPageLimit(options.limit);
  const { cursor } = options;
  if (cursor !== undefined) {
    try {
      assertValidId(cursor, 'workflow');
    } catch (error) {
      throw new InvalidArgumentError('cursor', `not a cursor of listWorkflows: ${(error as Error).message}`);
    }
  }
  return { limit, cursor };
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Validates a registration and encodes what to store. Throws before anything is written.
 * @throws InvalidIdError, InvalidArgumentError, DefinitionTooLargeError
 */
export function prepareDefinition(input: RegisterDefinitionInput, maxSourceBytes: number, now: () => number = Date.now): DefinitionRecord {
  assertWorkflowRef(input);
  const { tenantId, workflowId, version, source } = input;
  assertValidVersion(version);
  if (typeof source !== 'string' || source.length === 0) throw new InvalidArgumentError('source', 'must be a non-empty string');
  if (LONE_SURROGATE.test(source)) throw new InvalidArgumentError('source', 'holds a lone UTF-16 surrogate (not well-formed Unicode)');
  const size = Buffer.byteLength(source, 'utf8'); // counts without allocating, so a huge source is cheap to refuse
  if (size > maxSourceBytes) throw new DefinitionTooLargeError(tenantId, workflowId, version, size, maxSourceBytes);
  const bytes = new Uint8Array(Buffer.from(source, 'utf8'));
  const registeredAtMs = input.registeredAtMs ?? now();
  if (!Number.isSafeInteger(registeredAtMs) || registeredAtMs < 0) {
    throw new InvalidArgumentError('registeredAtMs', `must be a non-negative integer, got ${registeredAtMs}`);
  }
  const { codec, data } = compressBytes(bytes, defaultCompressionOptions());
  return { tenantId, workflowId, version, sha256: sha256Hex(bytes), registeredAtMs, codec, size: bytes.length, data };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a stored source: decompresses (capped at the declared size), checks the sha256
 * and the UTF-8. `what` names the record in errors.
 * @throws CorruptedDataError
 */
export function decodeDefinitionSource(
  what: string,
  stored: { codec: number; size: number; sha256: string; data: Uint8Array },
  maxSourceBytes: number,
): string {
  const { codec, size, sha256, data } = stored;
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isInteger(codec)) {
    throw new CorruptedDataError(what, `bad header (codec ${codec}, size ${size})`);
  }
  const cap = Math.max(maxSourceBytes, defaultCompressionOptions().maxDecompressedBytes);
  const bytes = decompressBytes(codec as CompressionCodec, data, size, cap);
  if (bytes.length !== size) throw new CorruptedDataError(what, `holds ${bytes.length} bytes, record says ${size}`);
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new CorruptedDataError(what, `sha256 is ${actual}, record says ${sha256}`);
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new CorruptedDataError(what, 'is not valid UTF-8', { cause: error });
  }
}

/** Orders workflow ids as Redis orders ZSET members of equal score: by their UTF-8 bytes. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The hash fields of one version. */
export const versionFields = (version: string) =>
  ({ sha256: `sha256:${version}`, at: `at:${version}`, codec: `codec:${version}`, size: `size:${version}`, src: `src:${version}` }) as const;

/** Hash field holding the latest version. */
export const LATEST_FIELD = 'latest';

/**
 * Turns the reply of `register-definition-2.lua` (or the memory adapter's mirror of it)
 * into the result, or the conflict error.
 */
export function definitionResult(record: DefinitionRecord, code: number, storedSha256: string): RegisterDefinitionResult {
  switch (code) {
    case DefinitionReply.Created:
      return { outcome: 'created', version: record.version, sha256: record.sha256 };
    case DefinitionReply.Unchanged:
      return { outcome: 'unchanged', version: record.version, sha256: record.sha256 };
    case DefinitionReply.Conflict:
      throw new DefinitionConflictError(record.tenantId, record.workflowId, record.version, storedSha256, record.sha256);
    default:
      throw new StorageFailureError(`register: unexpected reply code ${code}`);
  }
}
