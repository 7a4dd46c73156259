/** Identifies one workflow of one tenant. */
export interface WorkflowRef {
  /** Tenant id: a valid key id (see `assertValidId`) without `/`. */
  readonly tenantId: string;
  /** Workflow id: a valid key id (see `assertValidId`). */
  readonly workflowId: string;
}

/** Input of {@link DefinitionStore.register}. */
export interface RegisterDefinitionInput extends WorkflowRef {
  /** 1..64 characters of `[A-Za-z0-9._+-]`, e.g. `1.0.0` or `2024-05-01+hotfix`. */
  readonly version: string;
  /**
   * The DSL 1.0 source text (YAML or JSON), already parsed and validated by the caller. Stored
   * exactly; non-empty, well-formed Unicode, at most `maxSourceBytes` UTF-8 bytes.
   */
  readonly source: string;
  /** Registration time in ms since the epoch; default `Date.now()`. Ignored when `unchanged`. */
  readonly registeredAtMs?: number;
}

/** What {@link DefinitionStore.register} did. */
export interface RegisterDefinitionResult {
  /** `created`: stored now and made `latest`. `unchanged`: this version already holds this exact source; nothing changed. */
  readonly outcome: 'created' | 'unchanged';
  readonly version: string;
  /** sha256 (lower-case hex) of the source's UTF-8 bytes. */
  readonly sha256: string;
}

/** Input of {@link DefinitionStore.get}. */
export interface GetDefinitionInput extends WorkflowRef {
  /** The version to read; the latest when absent. */
  readonly version?: string;
}

/** A registered version without its source. */
export interface DefinitionVersionInfo {
  readonly version: string;
  /** sha256 (lower-case hex) of the source's UTF-8 bytes. */
  readonly sha256: string;
  readonly registeredAtMs: number;
}

/** A registered version with its source, as {@link DefinitionStore.get} returns it. */
export interface StoredDefinition extends WorkflowRef, DefinitionVersionInfo {
  /** The source text exactly as registered (verified against `sha256` on read). */
  readonly source: string;
}

/** Options of {@link DefinitionStore.listWorkflows}. */
export interface ListWorkflowsOptions {
  readonly tenantId: string;
  /** `nextCursor` of the previous page; from the first workflow when absent. */
  readonly cursor?: string;
  /** Page size, 1..1000; default 100. */
  readonly limit?: number;
}

/** One workflow in a {@link WorkflowPage}. */
export interface WorkflowDefinitionSummary {
  readonly workflowId: string;
  /** The most recently registered version. */
  readonly latestVersion: string;
  /** How many versions are registered. */
  readonly versions: number;
}

/** A page of a tenant's workflows, sorted by workflow id (by its UTF-8 bytes). */
export interface WorkflowPage {
  readonly workflows: WorkflowDefinitionSummary[];
  /** Cursor of the next page; absent when this page reached the end. */
  readonly nextCursor?: string;
}

/**
 * The workflow definition store port: immutable, versioned DSL sources per tenant and
 * workflow. Implemented by `RedisDefinitionStore` (production) and `MemoryDefinitionStore`
 * (tests); both pass the same contract suite (`@flunq/redis-store/testing`).
 */
export interface DefinitionStore {
  /**
   * Registers a version atomically: stores the source, appends the version to the version
   * list and makes it `latest`. The same source again is a no-op (`unchanged`); also repairs
   * the tenant's workflow index on every call.
   * @throws DefinitionConflictError when the version holds a different source (nothing written),
   *   DefinitionTooLargeError, InvalidIdError, InvalidArgumentError, StorageFailureError
   */
  register(input: RegisterDefinitionInput): Promise<RegisterDefinitionResult>;
  /** Reads one version (the latest when `version` is absent); undefined when there is none. */
  get(input: GetDefinitionInput): Promise<StoredDefinition | undefined>;
  /** Every registered version in registration order; empty for an unknown workflow. */
  listVersions(ref: WorkflowRef): Promise<DefinitionVersionInfo[]>;
  /** A page of the tenant's workflows sorted by workflow id. */
  listWorkflows(options: ListWorkflowsOptions): Promise<WorkflowPage>;
  /** Releases connections owned by the store. */
  close(): Promise<void>;
}
