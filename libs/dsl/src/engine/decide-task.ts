import { kindsOf } from '../definitions/task-lists.js';
import { workflowError } from '../errors/workflow-error.js';
import { resolvePointer } from '../flow/task-pointer.js';
import { durationMs, parseDuration } from '../time/duration.js';
import { completeTask } from './complete-task.js';
import { transform, type DataFlowSpec } from './data-flow.js';
import { cloudEventOf } from './emit.js';
import type { Decision, EngineClock, EngineEvent, ExecutionState } from './engine-types.js';
import { handleFault } from './faults.js';
import { continueLoop, startLoop } from './loops.js';
import { evaluateValue, type Evaluate } from './runtime-values.js';
import { variablesFor } from './variables.js';

type Task = Readonly<Record<string, unknown>> & DataFlowSpec;

const record = (event: EngineEvent): Decision => ({ kind: 'record', event });

/** The directive of the first matching case (a case without `when` always matches); undefined when none matches, so the switch task's own `then` applies. */
function switchBranch(task: Task, input: unknown, variables: Record<string, unknown>, evaluate: Evaluate): string | undefined {
  for (const item of (task['switch'] as Record<string, { when?: unknown; then?: string }>[] | undefined) ?? []) {
    const [[, body] = []] = Object.entries(item);
    if (!body) continue;
    const matches = body.when === undefined || transform(body.when, input, variables, evaluate) === true;
    if (matches) return body.then ?? 'continue';
  }
  return undefined;
}

function raise(pointer: string, task: Task, input: unknown): Decision {
  const raised = (task['raise'] as { error?: { type?: string; status?: number; title?: string; detail?: string } } | undefined)?.error ?? {};
  const error = {
    type: raised.type ?? 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime',
    status: raised.status ?? 500,
    instance: pointer,
    ...(raised.title ? { title: raised.title } : {}),
    ...(raised.detail ? { detail: raised.detail } : {}),
  };
  return record({ type: 'task.failed', pointer, input, error });
}

/**
 * What the thread at `state.position` (a thread's view, see `viewFor`) does next: its
 * composite's output when `completing`, else the task's own step.
 */
export function decideTask(definition: unknown, state: ExecutionState, pointer: string, evaluate: Evaluate, clock: EngineClock): Decision {
  const task = resolvePointer(definition, pointer) as Task;
  // A failed task: the enclosing try's catch (or retry) takes it, else the execution fails.
  if (state.fault) return record(handleFault(definition, state, pointer, state.fault, variablesFor(state, pointer, state.data), evaluate, clock));
  if (state.completing) {
    if ('for' in task) return record(continueLoop(definition, state, pointer, task, evaluate));
    return record(completeTask(definition, state, pointer, state.data, state.data, evaluate));
  }
  const input = transform(task.input?.from, state.data, variablesFor(state, pointer, state.data), evaluate);
  const variables = variablesFor(state, pointer, input);
  const [kind] = kindsOf(task);
  switch (kind) {
    case 'set':
      return record(completeTask(definition, state, pointer, input, evaluateValue(task['set'], input, variables, evaluate), evaluate));
    case 'do':
      return record({ type: 'task.started', pointer, input });
    case 'fork': {
      const branches = ((task['fork'] as { branches?: unknown[] } | undefined)?.branches ?? []).length;
      return record(branches === 0 ? completeTask(definition, state, pointer, input, [], evaluate) : { type: 'task.started', pointer, input, list: 'fork' });
    }
    case 'try': {
      const retry = state.retries[pointer];
      const started: EngineEvent = { type: 'task.started', pointer, input: retry?.input ?? input, list: 'try', ...(retry ? {} : { at: clock.now() }) };
      if (!retry || retry.attempt <= 1) return record(started);
      return { kind: 'delay', durationMs: retry.delayMs, ...(retry.dueAt === undefined ? {} : { dueAt: retry.dueAt }), key: `${pointer}#attempt-${retry.attempt}`, event: started };
    }
    case 'for':
      return record(startLoop(definition, state, pointer, task, input, evaluate));
    case 'switch': {
      const then = switchBranch(task, input, variables, evaluate);
      const completed = completeTask(definition, state, pointer, input, input, evaluate);
      return record(then === undefined ? completed : { ...completed, then });
    }
    case 'wait': {
      const waitMs = durationMs(parseDuration(task['wait']));
      if (state.dispatch === undefined) return record({ type: 'task.dispatched', pointer, input, at: clock.now() });
      const dueAt = state.dispatch.at === undefined ? {} : { dueAt: state.dispatch.at + waitMs };
      return { kind: 'delay', durationMs: waitMs, ...dueAt, key: `${pointer}@${state.dispatch.version}`, event: completeTask(definition, state, pointer, input, input, evaluate) };
    }
    case 'emit': {
      const properties = evaluateValue((task['emit'] as { event?: { with?: unknown } } | undefined)?.event?.with, input, variables, evaluate);
      return record(completeTask(definition, state, pointer, input, cloudEventOf(properties, clock), evaluate));
    }
    case 'call':
      if (state.dispatch === undefined) return record({ type: 'task.dispatched', pointer, input, at: clock.now() });
      return { kind: 'run', pointer, task: evaluateValue(task, input, variables, evaluate) as Task, input, dispatched: state.dispatch.version };
    case 'raise':
      return raise(pointer, task, input);
    default:
      return record({
        type: 'execution.failed',
        error: workflowError('runtime', pointer, { title: 'Task type not supported yet', detail: `flunq-io does not run "${kind ?? 'unknown'}" tasks yet` }).problem,
      });
  }
}
