import type { ExecutionStatus } from '@flunq/proto-types';

/** One execution as listings show it (derived from its state; rebuildable). */
export interface ExecutionSummary {
  readonly executionId: string;
  readonly tenantId: string;
  readonly workflowId: string;
  readonly workflowVersion: string;
  readonly status: ExecutionStatus;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** 0 while running. */
  readonly completedAtMs: number;
  readonly correlationId: string;
  /** The execution this one replays, if any. */
  readonly replayOf: string;
}

/** Filters and paging of {@link ExecutionIndex.list}. */
export interface ListExecutionsOptions {
  readonly tenantId: string;
  readonly status?: ExecutionStatus;
  readonly workflowId?: string;
  /** Created at or after (ms since the epoch). */
  readonly createdFromMs?: number;
  /** Created before (ms since the epoch). */
  readonly createdToMs?: number;
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
  /** 1..1000, default 100. */
  readonly limit?: number;
}

/** A page of executions, newest first. */
export interface ExecutionPage {
  readonly items: ExecutionSummary[];
  readonly nextCursor?: string;
}

/**
 * The per-tenant listing of executions: derived data, kept up to date by the engine after
 * each step that changes what a listing shows (start, end), rebuildable from the states.
 * Listings never cross tenants.
 */
export interface ExecutionIndex {
  /** Adds or updates an execution's entry. */
  upsert(summary: ExecutionSummary): Promise<void>;
  /** The tenant's executions matching the filters, newest first. */
  list(options: ListExecutionsOptions): Promise<ExecutionPage>;
  /** One entry, or undefined (also for another tenant's execution). */
  get(tenantId: string, executionId: string): Promise<ExecutionSummary | undefined>;
  /** Every tenant with at least one listed execution (for jobs that walk all tenants, e.g. retention). */
  tenants(): Promise<string[]>;
  /** Removes the execution from the listing (retention, once it is archived); nothing when it is not listed. */
  remove(tenantId: string, executionId: string): Promise<void>;
  /** Removes executions of one tenant from the listing at once (unlisted ones are skipped); as {@link ExecutionIndex.remove} for each, in fewer round trips. */
  removeMany(tenantId: string, executionIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
