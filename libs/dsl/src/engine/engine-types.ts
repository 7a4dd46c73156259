import type { WorkflowProblem } from '../errors/workflow-error.js';

/**
 * The state of an execution as the DSL sees it: a pure fold of {@link EngineEvent}s. The
 * events carry every evaluated value (inputs, outputs, context, the branch taken), so
 * folding never evaluates an expression and always gives the same state.
 */
export interface ExecutionState {
  readonly status: 'pending' | 'running' | 'completed' | 'failed';
  /** The workflow input after `input.from` (`$workflow.input`). */
  readonly input: unknown;
  /** The current data: the output of the last completed task, the input of the next one. */
  readonly data: unknown;
  /** `$context`, as updated by `export.as`. */
  readonly context: unknown;
  /** The task to run next; undefined once the top-level list is done. */
  readonly position: string | undefined;
  /** True when `position` is a composite task whose body is done and whose output is due. */
  readonly completing: boolean;
  readonly output?: unknown;
  readonly error?: WorkflowProblem;
  /** Running `for` loops, by the loop task's pointer: what they iterate and where they are. */
  readonly loops: Readonly<Record<string, LoopScope>>;
  /** `try` tasks being retried, by pointer: attempts so far and the input each attempt starts from. */
  readonly retries: Readonly<Record<string, { readonly attempt: number; readonly input: unknown; readonly delayMs: number }>>;
  /** Errors being handled by `catch.do` lists, by the `try` task's pointer, with their variable name. */
  readonly caught: Readonly<Record<string, { readonly as: string; readonly error: WorkflowProblem }>>;
  /** Number of events folded. */
  readonly version: number;
}

/** A running `for` loop: its items, the current index, and the variable names it binds. */
export interface LoopScope {
  readonly items: readonly unknown[];
  readonly index: number;
  /** Variable name of the item (`each`, default `item`) and of the index (`at`, default `index`). */
  readonly each: string;
  readonly at: string;
}

/** What happened, with the values computed when it happened. */
export type EngineEvent =
  | { readonly type: 'execution.started'; readonly input: unknown }
  /** A composite task (`do`, `for`, `try`) begins its body (`list`, default `do`) with this input (a `for` with its loop). */
  | { readonly type: 'task.started'; readonly pointer: string; readonly input: unknown; readonly list?: 'do' | 'try'; readonly loop?: LoopScope }
  /** A `for` loop starts its next iteration. */
  | { readonly type: 'task.iterated'; readonly pointer: string; readonly index: number }
  /** A task finished: its output (after `output.as`), the context (after `export.as`), the flow directive taken. */
  | { readonly type: 'task.completed'; readonly pointer: string; readonly input: unknown; readonly output: unknown; readonly context: unknown; readonly then?: string }
  /** A fault inside the `try` list of this task will be retried: attempt `attempt` starts after `delayMs`. */
  | { readonly type: 'task.retrying'; readonly pointer: string; readonly attempt: number; readonly delayMs: number; readonly error: WorkflowProblem }
  /** A fault inside the `try` list of this task was caught: run its `catch.do` (or complete it). */
  | { readonly type: 'task.caught'; readonly pointer: string; readonly error: WorkflowProblem; readonly as: string }
  | { readonly type: 'execution.completed'; readonly output: unknown }
  | { readonly type: 'execution.failed'; readonly error: WorkflowProblem };

/** What to do now. */
export type Decision =
  /** Nothing: the execution is finished (or not started). */
  | { readonly kind: 'none' }
  /** Record this event (a task evaluated locally, a composite entered, the execution ending). */
  | { readonly kind: 'record'; readonly event: EngineEvent }
  /** Run the task on an executor with this input, then pass its raw output to `completeTask`. */
  | { readonly kind: 'run'; readonly pointer: string; readonly task: Readonly<Record<string, unknown>>; readonly input: unknown }
  /** Wait this long (a delayed job, not a sleeping process), then record `event`: a `wait` task's completion, a retry's new start. */
  | { readonly kind: 'delay'; readonly durationMs: number; readonly event: EngineEvent };

/** The state before any event. */
export const INITIAL_STATE: ExecutionState = Object.freeze({
  status: 'pending',
  input: null,
  data: null,
  context: {},
  position: undefined,
  completing: false,
  loops: {},
  retries: {},
  caught: {},
  version: 0,
});
