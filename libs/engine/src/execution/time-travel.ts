import { applyEvent, INITIAL_STATE, type ExecutionState } from '@flunq/dsl';
import type { WorkflowState } from '@flunq/proto-types';
import { InvalidArgumentError, MAX_PAGE_SIZE, type IoStore, type SnapshotStore } from '@flunq/redis-store';
import type { PayloadSerializer } from '@flunq/serializer';
import { fromWorkflowEvent } from '../records/event-mapping.js';
import { emptyWorkflowState, projectState } from '../records/state-projection.js';
import type { DefinitionCache } from './definitions.js';

/** What time travel reads: the store, the snapshots, the definitions. */
export interface TimeTravelSources {
  readonly store: IoStore;
  readonly snapshots?: SnapshotStore;
  readonly definitions: DefinitionCache;
  readonly serializer: PayloadSerializer;
}

/** The engine's state as a snapshot holds it (JSON: `undefined` members dropped). */
export function engineSnapshotValue(engine: ExecutionState): unknown {
  return JSON.parse(JSON.stringify(engine)) as unknown;
}

/**
 * The stored state as it was right after event `n` (the seed's shape; payloads may be
 * references to events, as the store keeps them: hydrate to show them). Folds the events
 * after the latest snapshot at or before `n` with the same reducer and projection the
 * worker uses, so the cost is bounded by the snapshot interval, not the history. Undefined
 * when the execution does not exist.
 * @throws InvalidArgumentError when `n` is not in 1..(events recorded)
 */
export async function stateAt(sources: TimeTravelSources, executionId: string, n: number): Promise<WorkflowState | undefined> {
  const current = await sources.store.readState(executionId, { hydrate: false });
  if (!current) return undefined;
  const version = Number(current.version);
  if (!Number.isSafeInteger(n) || n < 1 || n > version) throw new InvalidArgumentError('event number', `${n} is not in 1..${version}`);
  const { definition } = await sources.definitions.resolve(current.tenantId, current.workflowId, current.workflowVersion);
  const snapshot = await sources.snapshots?.find(executionId, n);
  let engine = snapshot ? (sources.serializer.fromPayload(snapshot.engine, 'engine snapshot') as ExecutionState) : INITIAL_STATE;
  const identity = { executionId, tenantId: current.tenantId, workflowId: current.workflowId, workflowVersion: current.workflowVersion, correlationId: current.correlationId };
  let state = snapshot?.state ?? { ...emptyWorkflowState(identity, Number(current.createdAtMs)), replayOf: current.replayOf };
  let after = snapshot ? `${snapshot.sequence}-0` : undefined;
  while (engine.version < n) {
    const page = await sources.store.readEvents(executionId, { limit: Math.min(MAX_PAGE_SIZE, n - engine.version), ...(after === undefined ? {} : { after }) });
    if (page.events.length === 0) throw new InvalidArgumentError('event number', `the stream of ${executionId} ends before event ${n}`);
    for (const { event: stored } of page.events) {
      const event = fromWorkflowEvent(stored, engine, sources.serializer);
      const next = applyEvent(definition, engine, event);
      const contextChanged = event.type === 'task.completed' && event.context !== engine.context;
      state = projectState(state, event, stored, next, next.version, sources.serializer, contextChanged);
      engine = next;
    }
    after = page.events.at(-1)?.cursor;
  }
  return state;
}
