import type { WorkflowState } from '@flunq/proto-types';
import { decodeEventEnvelope, decodeStateEnvelope, detectFormat, encodeEventEnvelope, encodeStateEnvelope, recompressPayload, type CompressionOptions } from '@flunq/serializer';
import { InvalidRecordError } from '../errors/store-errors.js';
import { mapEventPayloads, mapStatePayloads, type PayloadMapper } from '../records/payload-walk.js';
import { carriedPayloads, isTerminal } from '../records/state-snapshot.js';
import { sequenceOf } from '../records/stored-event.js';
import type { RawExecution, RawStreamEntry } from './raw-execution-store.js';

/** Why an execution was left as it is without looking at its payloads. */
export type ColdCompressionSkip = 'no-state' | 'legacy' | 'not-finished';

/** What cold compression would write for one execution (see {@link planColdCompression}). */
export interface ColdCompressionPlan {
  readonly skipped?: ColdCompressionSkip;
  /** The new state bytes, only when the state holds inline payloads that shrank. */
  readonly state?: Uint8Array;
  /** The whole new stream (same entry ids, unchanged entries as they were), only when an entry shrank. */
  readonly events?: RawStreamEntry[];
  /** Payloads re-encoded. */
  readonly payloads: number;
  /** Stream entries in the original system's format, left untouched (another job migrates them). */
  readonly legacyEntries: number;
  /** State value plus every entry's field and value bytes, before and after. */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}


const sizeOf = (state: Uint8Array | undefined, events: readonly RawStreamEntry[]): number =>
  (state?.length ?? 0) + events.reduce((sum, entry) => sum + entry.fields.reduce((s, f) => s + f.length, 0), 0);

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/** A binary entry as `RedisIoStore` writes it: fields `i` (event id) and `e` (envelope). */
function envelopeOf(entry: RawStreamEntry): Uint8Array | undefined {
  const [i, id, e, envelope] = entry.fields;
  const isField = (bytes: Uint8Array | undefined, name: number): boolean => bytes?.length === 1 && bytes[0] === name;
  return entry.fields.length === 4 && id && envelope && isField(i, 0x69) && isField(e, 0x65) ? envelope : undefined;
}

/**
 * Re-encodes one record with `recode`, or returns undefined when no payload changed, or when
 * encoding the decoded record again would not give back its stored bytes (fields this build
 * does not know would be lost: such a record is left as it is).
 */
function recodeRecord<T>(bytes: Uint8Array, decode: (b: Uint8Array) => T, encode: (r: T) => Uint8Array, map: (r: T, recode: PayloadMapper) => T, options: CompressionOptions, count: { n: number }): Uint8Array | undefined {
  let changed = 0;
  const recode: PayloadMapper = (payload) => {
    if (!payload) return payload;
    const next = recompressPayload(payload, options);
    if (next !== payload) changed++;
    return next as typeof payload;
  };
  const record = decode(bytes);
  const next = map(record, recode);
  if (changed === 0 || !sameBytes(encode(record), bytes)) return undefined;
  count.n += changed;
  return encode(next);
}

/** Every event the state refers to must carry, after the rewrite, the same value (size, checksum, encoding) as before. */
function checkReferences(executionId: string, state: WorkflowState, before: readonly RawStreamEntry[], after: readonly RawStreamEntry[]): void {
  const refs = [state.input ? 0n : state.inputEventSeq, state.output ? 0n : state.outputEventSeq, ...state.completedTasks.map((t) => (t.input || t.output ? 0n : t.eventSeq))];
  const bySeq = (entries: readonly RawStreamEntry[]) => new Map(entries.map((e) => [sequenceOf(e.id), e]));
  const [was, is] = [bySeq(before), bySeq(after)];
  const describe = (entry: RawStreamEntry | undefined): string => {
    const envelope = entry && envelopeOf(entry);
    const carried = envelope ? carriedPayloads(decodeEventEnvelope(envelope)) : {};
    return [carried.input, carried.output].map((p) => (p ? `${p.encoding}/${p.originalSize}/${p.checksum}/${p.messageType}` : '-')).join(' ');
  };
  for (const seq of new Set(refs.filter((s) => s > 0n).map(Number))) {
    if (was.get(seq) !== is.get(seq) && describe(was.get(seq)) !== describe(is.get(seq))) {
      throw new InvalidRecordError(executionId, `cold compression would change the payloads the state refers to in event ${seq}`);
    }
  }
}

/**
 * What cold compression writes for one execution, computed from its raw keys alone (no I/O):
 * every payload stored in at least `options.thresholdBytes` bytes, in binary stream entries
 * and inline in the state, re-encoded with `options.codec` at `options.level` when that is
 * smaller (see `recompressPayload` of `@flunq/serializer`: the values read back are
 * byte-identical). Entries that do not change keep their bytes; entry ids never change, so the
 * state's references (`input_event_seq`, `output_event_seq`, `event_seq`) keep pointing at the
 * same events, which still carry the same size and checksum (checked).
 *
 * Only finished executions (COMPLETED, FAILED, CANCELLED, read from the state) are planned:
 * without a state, with a state in the original system's JSON, or still running, nothing is.
 * Legacy stream entries are never touched and are counted.
 */
export function planColdCompression(raw: RawExecution, options: CompressionOptions): ColdCompressionPlan {
  const bytesBefore = sizeOf(raw.state, raw.events);
  const legacyEntries = raw.events.filter((entry) => !envelopeOf(entry)).length;
  const unchanged = (skipped?: ColdCompressionSkip): ColdCompressionPlan => ({ ...(skipped ? { skipped } : {}), payloads: 0, legacyEntries, bytesBefore, bytesAfter: bytesBefore });
  if (!raw.state) return unchanged('no-state');
  if (detectFormat(raw.state) !== 'binary') return unchanged('legacy');
  const state = decodeStateEnvelope(raw.state);
  if (!isTerminal(state.status)) return unchanged('not-finished');

  const count = { n: 0 };
  const nextState = recodeRecord(raw.state, decodeStateEnvelope, encodeStateEnvelope, mapStatePayloads, options, count);
  let changedEntries = 0;
  const events = raw.events.map((entry): RawStreamEntry => {
    const envelope = envelopeOf(entry);
    const next = envelope && recodeRecord(envelope, decodeEventEnvelope, encodeEventEnvelope, mapEventPayloads, options, count);
    if (!next) return entry;
    changedEntries++;
    return { id: entry.id, fields: [...entry.fields.slice(0, 3), next] };
  });
  if (changedEntries > 0) checkReferences(raw.executionId, state, raw.events, events);
  const plan = { ...(nextState ? { state: nextState } : {}), ...(changedEntries > 0 ? { events } : {}) };
  return { ...plan, payloads: count.n, legacyEntries, bytesBefore, bytesAfter: sizeOf(nextState ?? raw.state, events) };
}
