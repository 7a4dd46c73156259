/** Stable codes of every store failure; part of the public contract. */
export type StoreErrorCode =
  | 'INVALID_ID'
  | 'INVALID_RECORD'
  | 'INVALID_ARGUMENT'
  | 'VERSION_CONFLICT'
  | 'LEGACY_RECORD'
  | 'STORAGE_FAILURE'
  | 'DEFINITION_CONFLICT'
  | 'DEFINITION_TOO_LARGE';

/** Base class of the errors raised by `@flunq/redis-store`; `cause` is for logs only. */
export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An id cannot be used in a key (empty, too long, or holding `:`, `{`, `}`, whitespace or control characters). */
export class InvalidIdError extends StoreError {
  readonly code = 'INVALID_ID';

  constructor(
    readonly kind: string,
    readonly id: string,
    readonly reason: string,
  ) {
    super(`invalid ${kind} id ${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}...` : id)}: ${reason}`);
  }
}

/** A record handed to the store is inconsistent (missing event id, version not expected + 1, ...). Nothing was written. */
export class InvalidRecordError extends StoreError {
  readonly code = 'INVALID_RECORD';

  constructor(
    readonly executionId: string,
    readonly reason: string,
  ) {
    super(`invalid record for execution ${executionId}: ${reason}`);
  }
}

/** An argument of a read is out of range (page size, cursor). */
export class InvalidArgumentError extends StoreError {
  readonly code = 'INVALID_ARGUMENT';

  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`invalid ${argument}: ${reason}`);
  }
}

/** The state moved on since the caller read it, and the event is not a repeat of the one recorded there. Nothing was written. */
export class VersionConflictError extends StoreError {
  readonly code = 'VERSION_CONFLICT';

  constructor(
    readonly executionId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`execution ${executionId} is at version ${actualVersion}, not the expected ${expectedVersion}`);
  }
}

/** The execution is stored in the original JSON format; it is read-only until migrated. Nothing was written. */
export class LegacyRecordError extends StoreError {
  readonly code = 'LEGACY_RECORD';

  constructor(readonly executionId: string) {
    super(`execution ${executionId} is stored in the legacy JSON format and cannot be appended to before migration`);
  }
}

/** Redis failed or answered something unexpected. */
export class StorageFailureError extends StoreError {
  readonly code = 'STORAGE_FAILURE';

  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`storage operation ${operation} failed`, options);
  }
}

/**
 * A workflow definition version is already registered with a different source. Versions are
 * immutable: register the change under a new version. Nothing was written.
 */
export class DefinitionConflictError extends StoreError {
  readonly code = 'DEFINITION_CONFLICT';

  constructor(
    readonly tenantId: string,
    readonly workflowId: string,
    readonly version: string,
    /** sha256 (hex) of the source already stored. */
    readonly storedSha256: string,
    /** sha256 (hex) of the source the caller tried to register. */
    readonly attemptedSha256: string,
  ) {
    super(
      `workflow definition ${workflowId} version ${version} of tenant ${tenantId} is already registered with a different source ` +
        `(stored sha256 ${storedSha256.slice(0, 12)}..., new ${attemptedSha256.slice(0, 12)}...); versions are immutable, register a new version`,
    );
  }
}

/** A workflow definition source is larger than the store accepts (measured in UTF-8 bytes). Nothing was written. */
export class DefinitionTooLargeError extends StoreError {
  readonly code = 'DEFINITION_TOO_LARGE';

  constructor(
    readonly tenantId: string,
    readonly workflowId: string,
    readonly version: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `workflow definition ${workflowId} version ${version} of tenant ${tenantId} is ${sizeBytes} bytes of UTF-8 source, ` +
        `over the limit of ${limitBytes} bytes (maxSourceBytes)`,
    );
  }
}
