import type { WorkflowProblem } from '../errors/workflow-error.js';

/**
 * The state of an execution as the DSL sees it: a pure fold of {@link EngineEvent}s. The
 * events carry every evaluated value (inputs, outputs, context, the branch taken), so
 * folding never evaluates an expression and always gives the same state.
 */
export interface ExecutionState {
  readonly status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
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
  /** Set once the `call` or `wait` task at `position` was dispatched (see {@link Dispatch}). */
  readonly dispatch?: Dispatch;
  /** The task at `position` failed with this error; its handling is next. */
  readonly fault?: WorkflowProblem;
  readonly output?: unknown;
  readonly error?: WorkflowProblem;
  /** Running `for` loops, by the loop task's pointer: what they iterate and where they are. */
  readonly loops: Readonly<Record<string, LoopScope>>;
  /** `try` tasks being retried, by pointer: attempts so far and the input each attempt starts from. */
  readonly retries: Readonly<Record<string, RetryScope>>;
  /** Errors being handled by `catch.do` lists, by the `try` task's pointer, with their variable name. */
  readonly caught: Readonly<Record<string, { readonly as: string; readonly error: WorkflowProblem }>>;
  /** Running `fork` tasks, by pointer: whether their branches compete, and the branch task pointers. */
  readonly forks: Readonly<Record<string, ForkScope>>;
  /**
   * The threads of running fork branches, by branch task pointer (the root thread is
   * `position`/`completing`/`data` above). A finished branch has no position and its output as data.
   */
  readonly branches: Readonly<Record<string, Cursor>>;
  /** Number of events folded. */
  readonly version: number;
}

/** Where one thread of an execution stands (see `engine/threads.ts`). */
export interface Cursor {
  readonly position: string | undefined;
  readonly completing: boolean;
  readonly data: unknown;
  readonly dispatch?: Dispatch;
  /** The task at `position` failed with this error; its handling (catch, retry, or failing the execution) is next. */
  readonly fault?: WorkflowProblem;
}

/** A `call` handed to an executor, or a `wait` begun: the state version of its `task.dispatched`, and when (ms). */
export interface Dispatch {
  readonly version: number;
  readonly at?: number;
}

/** A running `fork`: `compete` ends it with the first branch to finish. */
export interface ForkScope {
  readonly compete: boolean;
  readonly branches: readonly string[];
}

/** A `try` being retried: attempts so far, the input each attempt starts from, the delay drawn, when the first attempt started (ms). */
export interface RetryScope {
  readonly attempt: number;
  readonly input: unknown;
  readonly delayMs: number;
  readonly since?: number;
  /** When the next attempt is due (ms): the time of the `task.retrying` plus its delay. */
  readonly dueAt?: number;
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
  /**
   * A composite task (`do`, `for`, `try`, `fork`) begins its body (`list`, default `do`) with
   * this input (a `for` with its loop; a `try`'s first attempt with its start time `at`, ms).
   */
  | { readonly type: 'task.started'; readonly pointer: string; readonly input: unknown; readonly list?: 'do' | 'try' | 'fork'; readonly loop?: LoopScope; readonly at?: number }
  /** A `call` task is handed to an executor, or a `wait` begins, with this input at `at` (ms) (the seed's `io.flunq.task.started`). */
  | { readonly type: 'task.dispatched'; readonly pointer: string; readonly input: unknown; readonly at?: number }
  /** A `for` loop starts its next iteration. */
  | { readonly type: 'task.iterated'; readonly pointer: string; readonly index: number }
  /** A task finished: its output (after `output.as`), the context (after `export.as`), the flow directive taken. */
  | { readonly type: 'task.completed'; readonly pointer: string; readonly input: unknown; readonly output: unknown; readonly context: unknown; readonly then?: string }
  /** The task failed (an executor's error, `raise`, an expression): with its input; what handles it is decided next. */
  | { readonly type: 'task.failed'; readonly pointer: string; readonly input: unknown; readonly error: WorkflowProblem }
  /** A fault inside the `try` list of this task will be retried: attempt `attempt` starts after `delayMs`. */
  | { readonly type: 'task.retrying'; readonly pointer: string; readonly attempt: number; readonly delayMs: number; readonly error: WorkflowProblem; readonly at?: number }
  /** A fault inside the `try` list of this task was caught: run its `catch.do` (or complete it). */
  | { readonly type: 'task.caught'; readonly pointer: string; readonly error: WorkflowProblem; readonly as: string }
  | { readonly type: 'execution.completed'; readonly output: unknown }
  | { readonly type: 'execution.failed'; readonly error: WorkflowProblem }
  /** Stopped from outside: nothing more runs; an in-flight task's late result is refused. */
  | { readonly type: 'execution.cancelled'; readonly reason: string };

/** What to do now. */
export type Decision =
  /** Nothing: the execution is finished (or not started). */
  | { readonly kind: 'none' }
  /** Record this event (a task evaluated locally, a composite entered, the execution ending). */
  | { readonly kind: 'record'; readonly event: EngineEvent }
  /** Run the task on an executor with this input, then pass its raw output to `completeTask`. */
  | {
      readonly kind: 'run';
      readonly pointer: string;
      readonly task: Readonly<Record<string, unknown>>;
      readonly input: unknown;
      /** The state version at which this call was dispatched: with the pointer, it names this attempt (an idempotency key). */
      readonly dispatched: number;
    }
  /** Wait this long (a delayed job, not a sleeping process), then record `event`: a `wait` task's completion, a retry's new start. */
  | {
      readonly kind: 'delay';
      readonly durationMs: number;
      /** When the event is due (ms), when the dispatch or retry recorded its time; else `durationMs` from now. */
      readonly dueAt?: number;
      /** Names this delay (task pointer + dispatch version or attempt): a scheduler's idempotency key. */
      readonly key: string;
      readonly event: EngineEvent;
    }

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
  forks: {},
  branches: {},
  version: 0,
});

/**
 * Time, identity and chance for the decisions that record them (a retry's time limit, an
 * emitted event's id and time, retry jitter). Injected so tests are deterministic; whatever
 * they return is written into the event, so folding never calls them.
 */
export interface EngineClock {
  now(): number;
  newId(): string;
  random(): number;
}

/** The real clock: `Date.now`, random UUIDs, `Math.random`. */
export const SYSTEM_CLOCK: EngineClock = Object.freeze({
  now: () => Date.now(),
  newId: () => globalThis.crypto.randomUUID(),
  random: () => Math.random(),
});
