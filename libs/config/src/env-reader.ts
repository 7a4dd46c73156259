import { DEFAULT_CLAIM_CHECK_BYTES, DEFAULT_REDACTED_FIELDS, DEFAULT_SIZE_LIMITS, parseByteSize, parseDuration, Redactor, type SizeLimits } from '@flunq/serializer';

/** Settings a service cannot start with; `problems` names every bad key. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';

  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${service} configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The environment, as `process.env` is. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where a deployment keeps its executions, read by {@link EnvReader.storeSettings}; the same in every service and the CLI. */
export interface StoreSettings {
  /** `REDIS_URL`, default `redis://localhost:6379`. */
  readonly redisUrl: string;
  /** `FLUNQ_KEY_PREFIX`: deployment namespace of every store key, default none. */
  readonly keyPrefix: string;
  /** `FLUNQ_QUEUE_PREFIX`: BullMQ prefix, default `{flunq}` (a hash tag: one Cluster slot). */
  readonly queuePrefix: string;
  /** `MAX_PAYLOAD_SIZE`, `MAX_WORKFLOW_INPUT_SIZE`, `MAX_TASK_OUTPUT_SIZE` (see {@link EnvReader.sizeLimits}). */
  readonly limits: SizeLimits;
  /** `FLUNQ_REDACT_FIELDS` and `FLUNQ_SECRETS_KEY`: what is redacted before storage (see {@link EnvReader.redactor}). */
  readonly redactor: Redactor;
  /** `FLUNQ_SEARCH_MAX_DEPTH`, `FLUNQ_SEARCH_MAX_VALUE_LENGTH`: what content search indexes (see {@link EnvReader.searchSettings}). */
  readonly search: SearchSettings;
  /**
   * `FLUNQ_CLAIM_CHECK_SIZE` (default 256KiB; 0 = never): payloads stored in this many bytes or more
   * (after compression) are kept once outside their event (claim check) and fetched when read.
   */
  readonly claimCheckBytes: number;
}

/** What content search indexes; the engine (writing) and the io-api (querying) must agree. */
export interface SearchSettings {
  /** Path segments below `input`/`output`/`variables`/a task's input or output that are indexed: 1..8, default 8. */
  readonly maxDepth: number;
  /** Longest indexed text (UTF-16 code units): 1..1024, default 128. Longer texts only `exists`. */
  readonly maxValueLength: number;
}

/**
 * Reads settings from an environment, collecting every problem instead of stopping at the
 * first: read all keys, then call {@link EnvReader.done}, which throws one
 * {@link ConfigError} naming each bad key and value. Sizes (`10MB` = 10 MiB, as the seed
 * meant it; `5MiB`) and durations
 * (`7d`, `500ms`, bare numbers are seconds) take human units.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(
    private readonly service: string,
    readonly env: Env,
  ) {}

  private text(key: string): string | undefined {
    const value = this.env[key]?.trim();
    return value ? value : undefined;
  }

  private invalid<T>(key: string, text: string, expected: string, fallback: T): T {
    this.problems.push(`${key}="${text}" is not ${expected}`);
    return fallback;
  }

  /** A string; `fallback` when unset or blank. */
  string(key: string, fallback: string): string {
    return this.text(key) ?? fallback;
  }

  /** A TCP port (0 picks a free one). */
  port(key: string, fallback: number): number {
    return this.integer(key, fallback, 0, 65_535, 'a port (0-65535)');
  }

  /** An integer in `min..max`. */
  integer(key: string, fallback: number, min: number, max: number, expected = `an integer in ${min}..${max}`): number {
    const text = this.text(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    return /^-?\d+$/.test(text) && value >= min && value <= max ? value : this.invalid(key, text, expected, fallback);
  }

  /** A size in bytes (`10MB`, `5MiB`, `1024`), at least 1. */
  byteSize(key: string, fallback: number): number {
    const text = this.text(key);
    if (text === undefined) return fallback;
    const value = parseByteSize(text);
    return value !== undefined && value > 0 ? value : this.invalid(key, text, 'a positive size such as 10MB', fallback);
  }

  /**
   * Settings parsed by another library's parser (e.g. `archiveSettingsFromEnv`): what it throws
   * becomes one more problem of {@link EnvReader.done} (the result is then undefined, never used).
   */
  parsedBy<T>(parse: (env: Env) => T): T {
    try {
      return parse(this.env);
    } catch (error) {
      this.problem(error instanceof Error ? error.message : String(error));
      return undefined as T;
    }
  }

  /** A duration in ms (`7d`, `30s`, `500ms`; a bare number is seconds), at least 0. */
  durationMs(key: string, fallback: number): number {
    const text = this.text(key);
    if (text === undefined) return fallback;
    const value = parseDuration(text);
    return value !== undefined && value >= 0 ? value : this.invalid(key, text, 'a duration such as 30s or 7d', fallback);
  }

  /** One of `choices` (case-insensitive, returned lower-case). */
  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const text = this.text(key)?.toLowerCase();
    if (text === undefined) return fallback;
    return (choices as readonly string[]).includes(text) ? (text as T) : this.invalid(key, text, `one of ${choices.join(', ')}`, fallback);
  }

  /** A URL with one of `protocols` (e.g. `redis:`). */
  url(key: string, fallback: string, protocols: readonly string[]): string {
    const text = this.text(key);
    if (text === undefined) return fallback;
    try {
      if (protocols.includes(new URL(text).protocol)) return text;
    } catch {
      // reported below
    }
    return this.invalid(key, text, `a URL (${protocols.join(' or ')})`, fallback);
  }

  /** The payload size limits: `MAX_PAYLOAD_SIZE`, `MAX_WORKFLOW_INPUT_SIZE`, `MAX_TASK_OUTPUT_SIZE`, each defaulting to `DEFAULT_SIZE_LIMITS`. */
  sizeLimits(): SizeLimits {
    return {
      maxPayloadSize: this.byteSize('MAX_PAYLOAD_SIZE', DEFAULT_SIZE_LIMITS.maxPayloadSize),
      maxWorkflowInputSize: this.byteSize('MAX_WORKFLOW_INPUT_SIZE', DEFAULT_SIZE_LIMITS.maxWorkflowInputSize),
      maxTaskOutputSize: this.byteSize('MAX_TASK_OUTPUT_SIZE', DEFAULT_SIZE_LIMITS.maxTaskOutputSize),
    };
  }

  /** The deployment's store: `REDIS_URL` (redis: or rediss:), `FLUNQ_KEY_PREFIX`, `FLUNQ_QUEUE_PREFIX`, {@link EnvReader.sizeLimits}, the secrets policy, search and claim-check settings. */
  storeSettings(): StoreSettings {
    return {
      redisUrl: this.url('REDIS_URL', 'redis://localhost:6379', ['redis:', 'rediss:']),
      keyPrefix: this.string('FLUNQ_KEY_PREFIX', ''),
      queuePrefix: this.string('FLUNQ_QUEUE_PREFIX', '{flunq}'),
      limits: this.sizeLimits(),
      redactor: this.redactor(),
      search: this.searchSettings(),
      claimCheckBytes: this.text('FLUNQ_CLAIM_CHECK_SIZE') === '0' ? 0 : this.byteSize('FLUNQ_CLAIM_CHECK_SIZE', DEFAULT_CLAIM_CHECK_BYTES),
    };
  }

  /** `FLUNQ_SEARCH_MAX_DEPTH` (1..8, default 8) and `FLUNQ_SEARCH_MAX_VALUE_LENGTH` (1..1024, default 128). */
  searchSettings(): SearchSettings {
    return {
      maxDepth: this.integer('FLUNQ_SEARCH_MAX_DEPTH', 8, 1, 8),
      maxValueLength: this.integer('FLUNQ_SEARCH_MAX_VALUE_LENGTH', 128, 1, 1024),
    };
  }

  /**
   * The secrets policy: `FLUNQ_REDACT_FIELDS` (comma-separated field names; default
   * {@link DEFAULT_REDACTED_FIELDS}; `none` redacts nothing) and `FLUNQ_SECRETS_KEY` (32 bytes,
   * base64): with the key, redacted values are sealed and the engine can read them back;
   * without it they are dropped. Every service of a deployment needs the same key.
   */
  redactor(): Redactor {
    const fieldsText = this.string('FLUNQ_REDACT_FIELDS', '');
    const fields = fieldsText.toLowerCase() === 'none' ? [] : fieldsText ? fieldsText.split(',').map((f) => f.trim()).filter(Boolean) : DEFAULT_REDACTED_FIELDS;
    const keyText = this.string('FLUNQ_SECRETS_KEY', '');
    if (!keyText) return new Redactor(fields);
    const key = Buffer.from(keyText, 'base64');
    if (key.length !== 32 || key.toString('base64') !== keyText.replace(/\s/g, '')) {
      this.problem('FLUNQ_SECRETS_KEY is not 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
      return new Redactor(fields);
    }
    return new Redactor(fields, key);
  }

  /** Records a problem found by the caller's own checks. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Returns `settings`, or throws {@link ConfigError} listing every problem found. */
  done<T>(settings: T): T {
    if (this.problems.length) throw new ConfigError(this.service, this.problems);
    return settings;
  }
}
