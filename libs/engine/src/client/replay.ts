import { evaluateJq, INITIAL_STATE, startExecution } from '@flunq/dsl';
import { InvalidArgumentError, MAX_PAGE_SIZE, type IoStore } from '@flunq/redis-store';
import type { WorkflowEvent } from '@flunq/proto-types';
import type { PayloadSerializer } from '@flunq/serializer';
import type { StepRecorder } from '../execution/step-recorder.js';
import type { ExecutionSnapshot } from '../records/build-step.js';
import { fromWorkflowEvent } from '../records/event-mapping.js';
import { emptyWorkflowState } from '../records/state-projection.js';

/** How to replay: the same input and definition version, or an edited input, or from a step on. */
export interface ReplayOptions {
  /** A new input (the run starts over with it). Not with `fromEvent`/`fromTaskId`. */
  readonly input?: unknown;
  /** Re-run from this event on: events before it (their recorded outputs) are reused. */
  readonly fromEvent?: number;
  /** Re-run from the first event of this task (its pointer, e.g. `/do/2/charge`) on. */
  readonly fromTaskId?: string;
}

async function storedEvents(store: IoStore, executionId: string): Promise<WorkflowEvent[]> {
  const events: WorkflowEvent[] = [];
  let after: string | undefined;
  do {
    const page = await store.readEvents(executionId, { limit: MAX_PAGE_SIZE, ...(after === undefined ? {} : { after }) });
    events.push(...page.events.map((e) => e.event));
    after = page.nextCursor;
  } while (after !== undefined);
  return events;
}

/** The event number a replay starts re-running at (events before it are reused). */
function firstRerun(events: readonly WorkflowEvent[], options: ReplayOptions): number {
  if (options.fromTaskId !== undefined) {
    const task = options.fromTaskId;
    const index = events.findIndex((e) => e.taskId === task || e.taskId.startsWith(`${task}/`));
    if (index < 0) throw new InvalidArgumentError('from_task', `task ${task} never ran in this execution`);
    return index + 1;
  }
  const from = options.fromEvent ?? 2;
  if (!Number.isSafeInteger(from) || from < 2 || from > events.length) throw new InvalidArgumentError('from_event', `${from} is not in 2..${events.length}`);
  return from;
}

/**
 * Builds a replay of `original` as a new execution `executionId`: its started event (the
 * original's input, or `options.input`) and, when replaying from a step, copies of the
 * original's events before that step, so their recorded outputs are reused and nothing
 * before the step runs again. The new state names the original in `replay_of`.
 * @throws InvalidArgumentError for an edited input combined with a step, or a step that is not in the history
 */
export async function recordReplay(
  deps: { store: IoStore; recorder: StepRecorder; serializer: PayloadSerializer; now: number },
  original: ExecutionSnapshot,
  executionId: string,
  options: ReplayOptions,
): Promise<ExecutionSnapshot> {
  const fromStep = options.fromEvent !== undefined || options.fromTaskId !== undefined;
  if (options.input !== undefined && fromStep) throw new InvalidArgumentError('replay', 'an edited input replays from the start: give input or a step, not both');
  const events = await storedEvents(deps.store, original.identity.executionId);
  const started = events[0]?.data;
  if (started?.case !== 'executionStarted') throw new InvalidArgumentError('replay', `execution ${original.identity.executionId} has no started event`);
  const identity = { ...original.identity, executionId };
  let snapshot: ExecutionSnapshot = { identity, definition: original.definition, engine: INITIAL_STATE, state: { ...emptyWorkflowState(identity, deps.now), replayOf: original.identity.executionId } };
  const rawInput = options.input !== undefined ? options.input : deps.serializer.fromPayload(started.value.input, 'input');
  const reused = fromStep ? events.slice(0, firstRerun(events, options) - 1) : events.slice(0, 1);
  for (const [index, stored] of reused.entries()) {
    const event = index === 0 && options.input !== undefined ? startExecution(original.definition, options.input, evaluateJq) : fromWorkflowEvent(stored, snapshot.engine, deps.serializer);
    // A reused task keeps its recorded timings and attempt; the copy is dated now.
    const { data } = stored;
    const task = data.case === 'taskCompleted' || data.case === 'taskFailed' ? { startedAtMs: Number(data.value.startedAtMs), completedAtMs: Number(data.value.completedAtMs), attempt: data.value.attempt } : undefined;
    const result = await deps.recorder.record(snapshot, event, { ...(index === 0 ? { rawInput } : {}), ...(task ? { task } : {}) });
    if (result.outcome === 'conflict') throw new InvalidArgumentError('execution id', `${executionId} already exists`);
    snapshot = result.snapshot;
  }
  return snapshot;
}
