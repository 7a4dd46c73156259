import type { ExecutionStatus } from '@flunq/proto-types';
import type { StoredEvent } from '@flunq/redis-store';

/**
 * What io-api needs from capabilities of other libs that are not all in this build yet.
 * Each is detected at start (see app.ts); a route whose capability is missing answers 501.
 */

/** `IoStore.watchEvents` (libs/redis-store): events after `after` as they are recorded; ends when `signal` aborts. */
export interface EventWatcher {
  watchEvents(executionId: string, options: { readonly after?: string; readonly signal: AbortSignal }): AsyncIterable<StoredEvent>;
}

/** One execution as listings show it: the `ExecutionSummary` of libs/redis-store/src/executions/execution-index.ts. */
export interface ExecutionSummary {
  readonly executionId: string;
  readonly tenantId: string;
  readonly workflowId: string;
  readonly workflowVersion: string;
  readonly status: ExecutionStatus;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly completedAtMs: number;
  readonly correlationId: string;
  readonly replayOf: string;
}

/** The part of the `ExecutionIndex` port io-api uses (`list`); same shapes as the port. */
export interface ExecutionLister {
  list(options: {
    readonly tenantId: string;
    readonly status?: ExecutionStatus;
    readonly workflowId?: string;
    readonly createdFromMs?: number;
    readonly createdToMs?: number;
    readonly cursor?: string;
    readonly limit?: number;
  }): Promise<{ readonly items: ExecutionSummary[]; readonly nextCursor?: string }>;
}
