import { DEFAULT_CLAIM_CHECK_BYTES, DEFAULT_SIZE_LIMITS, encodeStateEnvelope, type SizeLimits } from '@flunq/serializer';
import { claimCheckStep } from './claim-checks.js';
import { InvalidRecordError, LegacyRecordError, StorageFailureError, VersionConflictError } from '../errors/store-errors.js';
import type { RecordEventInput, RecordEventResult } from '../io-store.js';
import { assertValidId } from '../keys/key-builder.js';
import { ScriptReply } from '../redis/scripts.js';
import { encodeEventId, hasControlCharacters } from './event-id.js';
import { checkStepLimits } from './payload-limits.js';
import { isTerminal, toStoredSnapshot } from './state-snapshot.js';
import { toStoredEvent } from './stored-event.js';

/** Retention of finished executions, applied when the terminal event is recorded. */
export interface RetentionOptions {
  /** How long a finished execution's state is kept (`WORKFLOW_STATE_TTL`). Default 7 days; 0 keeps it. */
  readonly stateTtlMs?: number;
  /** How long a finished execution's events are kept (`EVENT_RETENTION_DAYS`). Default 30 days; 0 keeps them. */
  readonly eventTtlMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Resolves retention TTLs. The stream is kept at least as long as the state, because the
 * stored state refers to task inputs and outputs that live in its events.
 */
export function resolveRetention(options: RetentionOptions): { stateTtlMs: number; streamTtlMs: number } {
  const stateTtlMs = options.stateTtlMs ?? 7 * DAY_MS;
  const eventTtlMs = options.eventTtlMs ?? 30 * DAY_MS;
  for (const [name, value] of Object.entries({ stateTtlMs, eventTtlMs })) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  const streamTtlMs = stateTtlMs === 0 || eventTtlMs === 0 ? 0 : Math.max(stateTtlMs, eventTtlMs);
  return { stateTtlMs, streamTtlMs };
}

/** A step checked and encoded, ready for an adapter to write. */
export interface PreparedRecord {
  readonly executionId: string;
  readonly sequence: number;
  /** The event id in its stored form (see event-id.ts). */
  readonly eventId: Buffer;
  readonly eventBytes: Uint8Array;
  readonly stateBytes: Uint8Array;
  /** 0 unless the state is terminal. */
  readonly stateTtlMs: number;
  readonly streamTtlMs: number;
  /** Claim-checked payload bytes to store beside the record (sha256 hex -> bytes), each once. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/**
 * Validates a step and encodes what every adapter stores. All checks happen here, before
 * any write, so a bad record leaves stored data untouched. Payloads stored in
 * `claimCheckBytes` or more go outside the record (claim check; 0 = never).
 */
export function prepareRecord(
  input: RecordEventInput,
  retention: { stateTtlMs: number; streamTtlMs: number },
  limits: SizeLimits = DEFAULT_SIZE_LIMITS,
  claimCheckBytes = DEFAULT_CLAIM_CHECK_BYTES,
): PreparedRecord {
  const { expectedVersion } = input;
  let { event, state } = input;
  const executionId = state.id;
  assertValidId(executionId);
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0 || expectedVersion >= 0xffffffff) {
    throw new InvalidRecordError(executionId, `expectedVersion must be an integer in 0..${0xffffffff - 1}, got ${expectedVersion}`);
  }
  const sequence = expectedVersion + 1;
  if (!event.id) throw new InvalidRecordError(executionId, 'the event has no id');
  if (event.id.length > 256) throw new InvalidRecordError(executionId, 'the event id is longer than 256 characters');
  if (hasControlCharacters(event.id)) throw new InvalidRecordError(executionId, 'the event id holds control characters');
  if (event.executionId && event.executionId !== executionId) {
    throw new InvalidRecordError(executionId, `the event belongs to execution ${event.executionId}`);
  }
  if (event.tenantId && event.tenantId !== state.tenantId) {
    throw new InvalidRecordError(executionId, `the event belongs to tenant ${event.tenantId}, the execution to ${state.tenantId}`);
  }
  if (event.workflowId && event.workflowId !== state.workflowId) {
    throw new InvalidRecordError(executionId, `the event belongs to workflow ${event.workflowId}, the execution to ${state.workflowId}`);
  }
  if (state.version !== BigInt(sequence)) {
    throw new InvalidRecordError(executionId, `state.version is ${state.version}, expected ${sequence} (expectedVersion + 1)`);
  }
  checkStepLimits(event, state, limits);
  const claimed = claimCheckStep(event, state, claimCheckBytes);
  ({ event, state } = claimed);
  const terminal = isTerminal(state.status);
  const snapshot = toStoredSnapshot(state, event, sequence);
  return {
    executionId,
    sequence,
    eventId: encodeEventId(event.id),
    eventBytes: toStoredEvent(event, sequence, state),
    stateBytes: encodeStateEnvelope(snapshot),
    stateTtlMs: terminal ? retention.stateTtlMs : 0,
    streamTtlMs: terminal ? retention.streamTtlMs : 0,
    blobs: claimed.blobs,
  };
}

/** Maps a script reply to the result or the typed error. */
export function replyToResult(executionId: string, expectedVersion: number, code: number, value: number): RecordEventResult {
  switch (code as ScriptReply) {
    case ScriptReply.Appended:
      return { outcome: 'appended', sequence: value };
    case ScriptReply.Duplicate:
      return { outcome: 'duplicate', sequence: value };
    case ScriptReply.VersionConflict:
      throw new VersionConflictError(executionId, expectedVersion, value);
    case ScriptReply.NotBinaryState:
      throw new LegacyRecordError(executionId);
    case ScriptReply.StateVersionMismatch:
      throw new InvalidRecordError(executionId, `state bytes carry version ${value}, expected ${expectedVersion + 1}`);
    case ScriptReply.StreamAhead:
      throw new VersionConflictError(executionId, expectedVersion, -1);
    default:
      throw new StorageFailureError(`recordEvent: unknown script reply ${code}`);
  }
}
