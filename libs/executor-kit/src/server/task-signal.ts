/** The task's deadline (`deadline_ms`) has passed. */
export class DeadlineReachedError extends Error {
  readonly code = 'DEADLINE_REACHED';

  constructor(readonly deadlineMs: number) {
    super(`task deadline ${new Date(deadlineMs).toISOString()} reached`);
    this.name = 'DeadlineReachedError';
  }
}

/** The signal a task handler gets, and what made it fire. */
export interface TaskSignal {
  readonly signal: AbortSignal;
  /** True when the signal fired because the deadline passed (not because the caller left). */
  deadlineReached(): boolean;
  /** Stops the deadline timer and unhooks from the call's signal. */
  dispose(): void;
}

// setTimeout fires at once past 2^31-1 ms; deadlines further out than ~24 days are not timed.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One signal that fires at `deadlineMs` (Unix epoch ms; 0 = none) and whenever the call's
 * own signal fires (the client cancelled, or its gRPC timeout passed).
 */
export function createTaskSignal(deadlineMs: number, callSignal: AbortSignal, now = Date.now()): TaskSignal {
  const controller = new AbortController();
  let reached = false;
  let timer: NodeJS.Timeout | undefined;
  const onCallAbort = (): void => controller.abort(callSignal.reason);
  const onDeadline = (): void => {
    reached = true;
    controller.abort(new DeadlineReachedError(deadlineMs));
  };
  if (callSignal.aborted) onCallAbort();
  else callSignal.addEventListener('abort', onCallAbort, { once: true });
  const remaining = deadlineMs - now;
  if (deadlineMs > 0 && remaining <= 0) onDeadline();
  else if (deadlineMs > 0 && remaining <= MAX_TIMER_MS) timer = setTimeout(onDeadline, remaining);
  return {
    signal: controller.signal,
    deadlineReached: () => reached,
    dispose: () => {
      clearTimeout(timer);
      callSignal.removeEventListener('abort', onCallAbort);
    },
  };
}

/**
 * Settles as `work` does, or rejects with the signal's reason as soon as it fires: a handler
 * that ignores its signal cannot hold the reply past the deadline.
 */
export function untilAborted<T>(work: () => Promise<T> | T, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
