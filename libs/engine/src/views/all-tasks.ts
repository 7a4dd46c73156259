import type { TaskRecord, WorkflowState } from '@flunq/proto-types';
import { hydrateState, MAX_PAGE_SIZE, type IoStore } from '@flunq/redis-store';

/** Every task record of an execution up to event `upTo`, from the events that carry them (completed and failed attempts). */
export async function taskRecordsFromEvents(store: IoStore, executionId: string, upTo: number): Promise<TaskRecord[]> {
  const records: TaskRecord[] = [];
  let after: string | undefined;
  let sequence = 0;
  do {
    const page = await store.readEvents(executionId, { limit: Math.min(MAX_PAGE_SIZE, Math.max(1, upTo - sequence)), ...(after === undefined ? {} : { after }) });
    for (const { event } of page.events) {
      sequence += 1;
      if (sequence > upTo) break;
      const { data } = event;
      const ended = (event.type === 'io.flunq.task.completed' && data.case === 'taskCompleted') || (event.type === 'io.flunq.task.failed' && data.case === 'taskFailed');
      if (!ended) continue;
      const { value } = data;
      records.push({
        $typeName: 'flunq.v1.TaskRecord',
        taskName: value.taskName,
        taskId: event.taskId,
        input: value.inputData,
        output: data.case === 'taskCompleted' ? data.value.outputData : undefined,
        startedAtMs: value.startedAtMs,
        completedAtMs: value.completedAtMs,
        attempt: value.attempt,
        error: data.case === 'taskFailed' ? data.value.error : undefined,
        eventSeq: BigInt(sequence),
      });
    }
    after = sequence < upTo ? page.nextCursor : undefined;
  } while (after !== undefined);
  return records;
}

/**
 * A state ready to show: its payload references filled in and, when it keeps only its
 * recent task records (`task_count` is larger), the whole list rebuilt from the events.
 */
export async function withAllTasks(store: IoStore, executionId: string, state: WorkflowState): Promise<WorkflowState> {
  const hydrated = await hydrateState(store, executionId, state);
  if (hydrated.taskCount <= hydrated.completedTasks.length) return hydrated;
  return { ...hydrated, completedTasks: await taskRecordsFromEvents(store, executionId, Number(state.version)) };
}
