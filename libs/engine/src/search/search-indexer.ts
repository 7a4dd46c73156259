import type { SearchOptions } from '@flunq/query';
import type { WorkflowState } from '@flunq/proto-types';
import type { ContentIndex, ExecutionIndex, IoStore } from '@flunq/redis-store';
import type { PayloadSerializer } from '@flunq/serializer';
import { withAllTasks } from '../views/all-tasks.js';
import { indexTermsOf } from './query-plan.js';
import { searchDocument } from './search-document.js';

/**
 * Makes an execution's search entries match its state (every task included, read from the
 * events when the state keeps only recent ones). `options`: what is indexed (depth, value length).
 */
export async function indexExecution(search: ContentIndex, store: IoStore, serializer: PayloadSerializer, state: WorkflowState, options?: SearchOptions): Promise<void> {
  const full = await withAllTasks(store, state.id, state);
  await search.replace(state.tenantId, state.id, Number(state.createdAtMs), indexTermsOf(searchDocument(full, serializer), options));
}

/**
 * Rebuilds a tenant's search entries from the stored states (the index is derived data): every
 * execution of the listing, a page at a time. Returns how many were indexed.
 */
export async function rebuildSearchIndex(
  deps: { search: ContentIndex; executions: ExecutionIndex; store: IoStore; serializer: PayloadSerializer; searchOptions?: SearchOptions },
  tenantId: string,
): Promise<number> {
  let indexed = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.executions.list({ tenantId, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    for (const summary of page.items) {
      const state = await deps.store.readState(summary.executionId, { hydrate: false });
      if (!state || state.tenantId !== tenantId) continue;
      await indexExecution(deps.search, deps.store, deps.serializer, state, deps.searchOptions);
      indexed++;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return indexed;
}
