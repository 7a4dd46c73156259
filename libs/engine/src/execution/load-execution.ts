import { applyEvent, INITIAL_STATE } from '@flunq/dsl';
import { MAX_PAGE_SIZE, type IoStore } from '@flunq/redis-store';
import type { PayloadSerializer } from '@flunq/serializer';
import type { ExecutionSnapshot } from '../records/build-step.js';
import { fromWorkflowEvent, UnreadableEventError } from '../records/event-mapping.js';
import type { DefinitionCache } from './definitions.js';

/**
 * Reads an execution back: its stored state, the definition version it started with, and
 * the engine state folded from every recorded event (the stored state is a cache of that
 * fold, never the only copy), up to the version of the state read. Undefined when the
 * execution does not exist.
 * @throws UnreadableEventError when the stream and the state disagree or an event cannot be read
 */
export async function loadExecution(store: IoStore, executionId: string, definitions: DefinitionCache, serializer: PayloadSerializer): Promise<ExecutionSnapshot | undefined> {
  const state = await store.readState(executionId, { hydrate: false });
  if (!state) return undefined;
  const { definition } = await definitions.resolve(state.tenantId, state.workflowId, state.workflowVersion);
  let engine = INITIAL_STATE;
  let after: string | undefined;
  // Fold up to the state's version: events appended since the state was read belong to a later snapshot.
  const target = Number(state.version);
  do {
    const page = await store.readEvents(executionId, { limit: Math.min(MAX_PAGE_SIZE, Math.max(1, target - engine.version)), ...(after === undefined ? {} : { after }) });
    for (const { event } of page.events) {
      if (engine.version >= target) break;
      engine = applyEvent(definition, engine, fromWorkflowEvent(event, engine, serializer));
    }
    after = engine.version < target ? page.nextCursor : undefined;
  } while (after !== undefined);
  if (engine.version !== target) {
    throw new UnreadableEventError(executionId, state.version, `the state is at version ${state.version} but the stream holds ${engine.version} events`);
  }
  const identity = { executionId, tenantId: state.tenantId, workflowId: state.workflowId, workflowVersion: state.workflowVersion, correlationId: state.correlationId };
  return { identity, definition, engine, state };
}
