import { durationMs, parseDuration, type ExecutionState } from '@flunq/dsl';

/**
 * The attempt a task runs as: the attempt of the innermost `try` being retried around it
 * (1 when none is).
 */
export function attemptOf(engine: ExecutionState, pointer: string): number {
  let attempt = 1;
  let depth = -1;
  for (const [tryPointer, retry] of Object.entries(engine.retries)) {
    if (pointer.startsWith(`${tryPointer}/`) && tryPointer.length > depth) {
      depth = tryPointer.length;
      attempt = retry.attempt;
    }
  }
  return attempt;
}

/** When to stop waiting for a call: its DSL `timeout.after`, else `defaultMs` from now. */
export function taskDeadline(task: Readonly<Record<string, unknown>>, now: number, defaultMs: number): number {
  const after = (task['timeout'] as { after?: unknown } | undefined)?.after;
  if (after === undefined) return now + defaultMs;
  try {
    return now + durationMs(parseDuration(after));
  } catch {
    return now + defaultMs;
  }
}
