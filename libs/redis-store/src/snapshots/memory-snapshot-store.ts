import { assertValidId } from '../keys/key-builder.js';
import { bestSequence, decodeSnapshot, encodeSnapshot, type ExecutionSnapshot, type SnapshotStore } from './snapshot-store.js';

/** In-memory adapter of {@link SnapshotStore} (same encoding as Redis; no expiry). */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly snapshots = new Map<string, Map<number, Buffer>>();

  async put(executionId: string, snapshot: ExecutionSnapshot): Promise<void> {
    assertValidId(executionId);
    let byExecution = this.snapshots.get(executionId);
    if (!byExecution) this.snapshots.set(executionId, (byExecution = new Map()));
    byExecution.set(snapshot.sequence, encodeSnapshot(snapshot));
  }

  async find(executionId: string, sequence: number): Promise<ExecutionSnapshot | undefined> {
    assertValidId(executionId);
    const byExecution = this.snapshots.get(executionId);
    const best = byExecution && bestSequence([...byExecution.keys()], sequence);
    const bytes = best === undefined ? undefined : byExecution?.get(best);
    return bytes && best !== undefined ? decodeSnapshot(best, bytes) : undefined;
  }

  async expire(executionId: string): Promise<void> {
    assertValidId(executionId);
  }

  async close(): Promise<void> {
    this.snapshots.clear();
  }
}
