/**
 * Coalesces the search updates of running executions: asked many times within `delayMs`, it
 * runs once, off the caller's path (a step does not wait for it). The start and the end of an
 * execution are indexed at once by the caller, which cancels what is pending. Derived data: a
 * failure is reported, never thrown; updates pending when the process stops are lost (the next
 * task's end or the execution's end indexes it again).
 */
export class DeferredIndexer {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (executionId: string) => Promise<void>,
    private readonly onError?: (error: unknown, executionId: string) => void,
  ) {}

  /** Indexes the execution within `delayMs` (once, however often asked meanwhile). */
  later(executionId: string): void {
    if (this.pending.has(executionId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(executionId);
      this.run(executionId).catch((error: unknown) => this.onError?.(error, executionId));
    }, this.delayMs);
    timer.unref();
    this.pending.set(executionId, timer);
  }

  /** Drops the pending update of the execution (its caller indexes it now). */
  cancel(executionId: string): void {
    clearTimeout(this.pending.get(executionId));
    this.pending.delete(executionId);
  }

  /** Updates waiting now. */
  get size(): number {
    return this.pending.size;
  }
}
