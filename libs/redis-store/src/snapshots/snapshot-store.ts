import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { PayloadSchema, type Payload, type WorkflowState } from '@flunq/proto-types';
import { CorruptedDataError, decodeStateEnvelope, encodeStateEnvelope } from '@flunq/serializer';

/** The engine's state and the stored state of an execution after event `sequence`: where time travel starts folding. */
export interface ExecutionSnapshot {
  readonly sequence: number;
  /** The DSL engine's state (opaque to the store: a JSON payload). */
  readonly engine: Payload;
  /** The stored state (the seed's shape) after the same event, as the engine held it (payloads may be references). */
  readonly state: WorkflowState;
}

/**
 * Periodic snapshots of executions, so "the state after event N" folds a bounded number of
 * events instead of the whole history. Derived data: a missing snapshot only means folding
 * from an earlier one (or from the start). One hash per execution, in its slot.
 */
export interface SnapshotStore {
  /** Keeps the snapshot after event `snapshot.sequence` (a second write of the same sequence replaces it). */
  put(executionId: string, snapshot: ExecutionSnapshot): Promise<void>;
  /** The latest snapshot at or before event `sequence`, or undefined. */
  find(executionId: string, sequence: number): Promise<ExecutionSnapshot | undefined>;
  /** Gives the execution's snapshots a time to live (applied when it ends, like its stream). */
  expire(executionId: string, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A snapshot as stored: u32 (big-endian) length of the engine payload, the payload (protobuf), the state envelope. */
export function encodeSnapshot(snapshot: ExecutionSnapshot): Buffer {
  const engine = toBinary(PayloadSchema, snapshot.engine);
  const state = encodeStateEnvelope(snapshot.state);
  const out = Buffer.allocUnsafe(4 + engine.length + state.length);
  out.writeUInt32BE(engine.length, 0);
  out.set(engine, 4);
  out.set(state, 4 + engine.length);
  return out;
}

/** Reads a stored snapshot back. @throws CorruptedDataError */
export function decodeSnapshot(sequence: number, bytes: Uint8Array): ExecutionSnapshot {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 4) throw new CorruptedDataError(`snapshot ${sequence}`, 'shorter than its header');
  const length = buffer.readUInt32BE(0);
  if (4 + length > buffer.length) throw new CorruptedDataError(`snapshot ${sequence}`, 'engine state runs past the end');
  const engine = fromBinary(PayloadSchema, buffer.subarray(4, 4 + length));
  return { sequence, engine, state: decodeStateEnvelope(buffer.subarray(4 + length)) };
}

/** The sequence to read among those stored: the greatest at or before `sequence`. */
export function bestSequence(stored: readonly number[], sequence: number): number | undefined {
  let best: number | undefined;
  for (const candidate of stored) if (candidate <= sequence && (best === undefined || candidate > best)) best = candidate;
  return best;
}
