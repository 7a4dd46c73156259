import type { WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import type { IoStore } from '../io-store.js';
import { MAX_PAGE_SIZE } from './paging.js';
import { hydrateSnapshot } from './state-snapshot.js';
import { entryIdOf, sequenceOf } from './stored-event.js';

/**
 * Fills in the payloads a state refers to (task inputs and outputs kept once, in their
 * events) by reading those events through the port, as `readState` does for the current
 * state. For states that are not the stored one, e.g. a time-travel answer.
 */
export function hydrateState(store: IoStore, executionId: string, state: WorkflowState): Promise<WorkflowState> {
  return hydrateSnapshot(structuredClone(state), async (sequences) => {
    const wanted = new Set(sequences);
    const last = Math.max(...sequences);
    const found = new Map<number, WorkflowEvent>();
    // Event cursors are stream entry ids: start right before the first one wanted.
    let after: string | undefined = entryIdOf(Math.min(...sequences) - 1);
    while (after !== undefined) {
      const page = await store.readEvents(executionId, { after, limit: MAX_PAGE_SIZE });
      for (const { cursor, event } of page.events) {
        const sequence = sequenceOf(cursor);
        if (wanted.has(sequence)) found.set(sequence, event);
      }
      const lastCursor = page.events.at(-1)?.cursor;
      const lastRead = lastCursor === undefined ? last : sequenceOf(lastCursor);
      after = lastRead < last ? page.nextCursor : undefined;
    }
    return found;
  });
}
