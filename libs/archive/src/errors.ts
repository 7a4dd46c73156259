/** Stable codes of every archive failure; part of the public contract. */
export type ArchiveErrorCode =
  | 'ARCHIVE_CORRUPTED'
  | 'ARCHIVE_VERSION_UNSUPPORTED'
  | 'ARCHIVE_TOO_LARGE'
  | 'INVALID_ARCHIVE'
  | 'INVALID_ARCHIVE_KEY'
  | 'ARCHIVE_CONFIG'
  | 'ARCHIVE_BACKEND';

/**
 * Base class of all errors raised by `@flunq/archive`. Each subclass is one failure kind
 * with a stable `code` and the fields needed to act on it; `cause` keeps the underlying
 * error for logs.
 */
export abstract class ArchiveError extends Error {
  abstract readonly code: ArchiveErrorCode;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Which part of an archive failed verification: the fixed header, the sha256 over the
 * whole archive, the manifest, the compressed entry data as a whole, or one entry's sha256.
 */
export type ArchivePart = 'header' | 'body-checksum' | 'manifest' | 'data' | 'entry';

/**
 * The bytes are not a readable archive: truncated, altered, or not an archive at all.
 * `part` says what failed; for `entry`, `entry` is `<kind>/<name>` of the entry whose
 * sha256 does not match. Nothing is returned from a corrupted archive.
 */
export class ArchiveCorruptedError extends ArchiveError {
  readonly code = 'ARCHIVE_CORRUPTED';

  constructor(
    /** The part that failed. */
    readonly part: ArchivePart,
    /** What was wrong, for people. */
    readonly detail: string,
    /** `<kind>/<name>` when `part` is `entry`. */
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super(`archive corrupted (${part === 'entry' ? `entry ${entry ?? '?'} checksum` : part}): ${detail}`, options);
  }
}

/** The archive was written in a format version this code does not read (a newer writer). */
export class UnsupportedArchiveVersionError extends ArchiveError {
  readonly code = 'ARCHIVE_VERSION_UNSUPPORTED';

  constructor(
    /** The version found in the header. */
    readonly version: number,
    /** The versions this code reads. */
    readonly supported: readonly number[],
  ) {
    super(`archive format version ${version} is not supported (this code reads ${supported.join(', ')})`);
  }
}

/** A size or count is over a limit; refused before allocating anything for it. */
export class ArchiveTooLargeError extends ArchiveError {
  readonly code = 'ARCHIVE_TOO_LARGE';

  constructor(
    /** Name of the limit, e.g. `MAX_MANIFEST_BYTES`. */
    readonly limitName: string,
    /** The size or count found. */
    readonly size: number,
    /** The limit. */
    readonly limit: number,
  ) {
    super(`archive ${limitName} exceeded: ${size} > ${limit}`);
  }
}

/** An archive given to `encodeArchive`, or an option of any call, is not valid; nothing was done. */
export class InvalidArchiveError extends ArchiveError {
  readonly code = 'INVALID_ARCHIVE';

  constructor(
    /** Where the bad value sits, e.g. `entries[3].kind` or `options.level`. */
    readonly path: string,
    /** What is wrong with it. */
    readonly reason: string,
  ) {
    super(`invalid archive: ${path} ${reason}`);
  }
}

/** A key, key prefix or id cannot name an archive object safely; rejected before any I/O. */
export class InvalidArchiveKeyError extends ArchiveError {
  readonly code = 'INVALID_ARCHIVE_KEY';

  constructor(
    /** The rejected value, cut to 120 characters. */
    readonly value: string,
    /** Why it was rejected. */
    readonly reason: string,
  ) {
    super(`invalid archive key ${JSON.stringify(value.slice(0, 120))}: ${reason}`);
  }
}

/** Archive settings are incomplete or wrong; `problems` names every one of them. */
export class ArchiveConfigError extends ArchiveError {
  readonly code = 'ARCHIVE_CONFIG';

  constructor(
    /** One line per bad or missing setting, naming the setting. */
    readonly problems: readonly string[],
  ) {
    super(`invalid archive settings:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * A backend could not carry out an operation (file system or S3 failure). `cause` holds
 * the underlying error. `retryable` is true for failures that may pass on a later try
 * (network, throttling, 5xx), false for those that will not (access denied, no bucket).
 */
export class ArchiveBackendError extends ArchiveError {
  readonly code = 'ARCHIVE_BACKEND';

  constructor(
    /** The backend's name, e.g. `folder` or `s3`. */
    readonly backend: string,
    /** The operation, e.g. `put`. */
    readonly operation: string,
    /** The key or prefix the operation was about. */
    readonly key: string,
    /** Whether trying again later may succeed. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`archive backend ${backend}: ${operation} ${JSON.stringify(key)} failed${reason}`, options);
  }
}
