import { errorTypeMatches, type WorkflowProblem } from '../errors/workflow-error.js';
import { ownerOfList, parseTaskPointer, resolvePointer } from '../flow/task-pointer.js';
import { transform } from './data-flow.js';
import { SYSTEM_CLOCK, type EngineClock, type EngineEvent, type ExecutionState } from './engine-types.js';
import type { Evaluate } from './runtime-values.js';
import { nextRetryDelay, type RetryPolicy } from '../retry/retry-delay.js';

interface CatchSpec {
  readonly errors?: { readonly with?: Readonly<Record<string, unknown>> };
  readonly retry?: RetryPolicy;
  readonly as?: string;
  readonly when?: unknown;
  readonly exceptWhen?: unknown;
}

/** True when `error` has every property the filter names (types compared as standard-type aware URIs). */
function matchesFilter(error: WorkflowProblem, filter: Readonly<Record<string, unknown>> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, expected]) => {
    const actual = (error as unknown as Record<string, unknown>)[key];
    return key === 'type' && typeof actual === 'string' && typeof expected === 'string' ? errorTypeMatches(actual, expected) : actual === expected;
  });
}

/** The `try` tasks enclosing `pointer` whose `try` list (not `catch`) holds it, innermost first. */
function enclosingTries(pointer: string): string[] {
  const tries: string[] = [];
  for (let list = parseTaskPointer(pointer)?.list; list && list !== '/do'; list = parseTaskPointer(ownerOfList(list))?.list) {
    if (list.endsWith('/try')) tries.push(ownerOfList(list));
  }
  return tries;
}

/**
 * Where a fault raised at `pointer` goes: the innermost enclosing `try` whose `catch` takes
 * it (error filter, then `when` / `exceptWhen` with the error bound as `$<as>`), recorded
 * as `task.retrying` while its `retry` policy allows another attempt (the drawn delay is
 * in the event, so folding stays deterministic), then as `task.caught`; otherwise the
 * execution fails with the error. `limit.duration` counts from the start of the first
 * attempt (recorded in the `try`'s first `task.started`) to the start of the next one.
 */
export function handleFault(
  definition: unknown,
  state: ExecutionState,
  pointer: string,
  error: WorkflowProblem,
  variables: Readonly<Record<string, unknown>>,
  evaluate: Evaluate,
  clock: EngineClock = SYSTEM_CLOCK,
): EngineEvent {
  for (const tryPointer of enclosingTries(pointer)) {
    const spec = ((resolvePointer(definition, tryPointer) as { catch?: CatchSpec } | undefined)?.catch ?? {}) as CatchSpec;
    const as = spec.as ?? 'error';
    const bound = { ...variables, [`$${as}`]: error };
    if (!matchesFilter(error, spec.errors?.with)) continue;
    if (spec.when !== undefined && transform(spec.when, state.data, bound, evaluate) !== true) continue;
    if (spec.exceptWhen !== undefined && transform(spec.exceptWhen, state.data, bound, evaluate) === true) continue;
    const retry = state.retries[tryPointer];
    const attempt = retry?.attempt ?? 1;
    const elapsedMs = retry?.since === undefined ? 0 : Math.max(0, clock.now() - retry.since);
    const delayMs = spec.retry ? nextRetryDelay(spec.retry, { attempt, elapsedMs }, () => clock.random()) : undefined;
    if (delayMs !== undefined) return { type: 'task.retrying', pointer: tryPointer, attempt: attempt + 1, delayMs, error, at: clock.now() };
    return { type: 'task.caught', pointer: tryPointer, error, as };
  }
  return { type: 'execution.failed', error };
}
