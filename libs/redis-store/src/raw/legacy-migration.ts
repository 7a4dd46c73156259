import type { WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import { decodeStateEnvelope, detectFormat, encodeEventEnvelope, encodeStateEnvelope } from '@flunq/serializer';
import { InvalidRecordError } from '../errors/store-errors.js';
import { encodeEventId } from '../records/event-id.js';
import { hydrateSnapshot } from '../records/state-snapshot.js';
import { entryIdOf, toStoredEvent, withContext } from '../records/stored-event.js';
import { decodeStreamEntry, isBinaryEntry } from '../records/stream-entry.js';
import { purgeGuardOf, type RawExecution, type RawExecutionStore, type RawStreamEntry } from './raw-execution-store.js';

/**
 * An execution's binary form, computed from its raw keys by {@link planLegacyMigration}.
 * `state` / `events` are absent when that key is to be left as it is.
 */
export interface LegacyMigrationPlan {
  readonly executionId: string;
  /** True when the state is the original system's JSON or some stream entry is in its one-field-per-attribute form. */
  readonly legacy: boolean;
  /** The new state value: a binary envelope whose version is the number of events. */
  readonly state?: Uint8Array;
  /** The whole new stream: entries `<seq>-0` with fields `i` and `e`, as `RedisIoStore.recordEvent` writes them. */
  readonly events?: readonly RawStreamEntry[];
  /** Bytes of the values before (state, entry ids, stream field names and values); not Redis memory. */
  readonly bytesBefore: number;
  /** The same count after the migration (equal to `bytesBefore` when nothing is legacy). */
  readonly bytesAfter: number;
}

/** What {@link migrateExecution} did to one execution. */
export interface ExecutionMigrationReport {
  readonly executionId: string;
  /** The execution held legacy values when read. */
  readonly legacy: boolean;
  /** Rewritten in the binary format; in a dry run: would be (nothing written). */
  readonly migrated: boolean;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  /** It changed between read and rewrite: left as it was (a later run picks it up again). */
  readonly changedMeanwhile?: boolean;
}

const FIELD_I = Buffer.from('i');
const FIELD_E = Buffer.from('e');

/**
 * Says whether a raw execution holds legacy values and computes its binary form: the same
 * `WorkflowState` and events that `RedisIoStore` reads from it today, encoded as
 * `RedisIoStore.recordEvent` writes them. Nothing is read from Redis or written.
 *
 * - Events: entry `n` (in stream order) becomes `<n>-0` with `i` = the event id
 *   (`encodeEventId`) and `e` = `toStoredEvent(event, n, context)`, the context (tenant and
 *   workflow ids, kept in the first event only) being the first event's. Legacy entry ids
 *   (`<ms>-<n>`) are gone afterwards: a cursor a client held (`readEvents` `after`,
 *   `watchEvents`, an SSE `Last-Event-ID`) no longer points into the stream and must be dropped.
 * - State: decoded and hydrated as `readState` does, then written with its payloads inline
 *   (a legacy state has no references to events: nothing to keep valid), version = number
 *   of events, so `recordEvent` can append at `expectedVersion` = that number.
 * - What readers see changes only where the binary format derives a value from the position:
 *   each event's `sequence` (0, unknown, in a legacy entry) and the state's `version` (0).
 *   Every event is decoded back and compared with what was read before; a difference (an
 *   attribute the binary form cannot keep, e.g. a foreign `executionid` or `specversion`,
 *   a later event of another tenant) refuses the migration.
 *
 * Payloads keep their bytes (`json/plain`, uncompressed, as the original wrote them):
 * `recordEvent` stores payloads as it is given them, so large ones are not compressed here
 * (that is a later rewrite's job). The state's `id` is kept as read.
 * A binary state beside legacy entries (which the store never writes) is refused too.
 * Snapshots (`workflow:snapshots:{<id>}`) are left as they are.
 * @throws InvalidRecordError when the binary form would change what readers see; the serializer's
 *   typed errors (CorruptedDataError, UnknownEncodingError) for unreadable values
 */
export async function planLegacyMigration(raw: RawExecution): Promise<LegacyMigrationPlan> {
  const { executionId } = raw;
  const bytesBefore = sizeOf(raw.state, raw.events);
  const legacyState = raw.state !== undefined && detectFormat(raw.state) === 'legacy-json';
  const legacyEntries = raw.events.some((entry) => !isBinaryEntry(entry.fields));
  if (!legacyState && !legacyEntries) return { executionId, legacy: false, bytesBefore, bytesAfter: bytesBefore };
  if (legacyEntries && raw.state && !legacyState) {
    throw new InvalidRecordError(executionId, 'a binary state beside legacy stream entries: event positions are unknown, not migrated');
  }
  const seen = readEvents(raw.events, executionId);
  const events = legacyEntries ? toBinaryEntries(seen, executionId) : undefined;
  const state = raw.state && encodeStateEnvelope({ ...(await readState(raw.state, raw.events, seen)), version: BigInt(seen.length) });
  return {
    executionId,
    legacy: true,
    ...(state ? { state } : {}),
    ...(events ? { events } : {}),
    bytesBefore,
    bytesAfter: sizeOf(state ?? raw.state, events ?? raw.events),
  };
}

/**
 * Migrates one execution to the binary format: reads its keys, plans ({@link planLegacyMigration})
 * and rewrites state and stream in one atomic step, only if they did not change since the
 * read (TTLs kept). An execution without legacy values (or without keys) is left alone.
 * A dry run computes everything and writes nothing.
 * @throws InvalidIdError for an id that cannot be a key, InvalidRecordError (see the plan),
 *   StorageFailureError
 */
export async function migrateExecution(raw: RawExecutionStore, executionId: string, options: { dryRun?: boolean } = {}): Promise<ExecutionMigrationReport> {
  const read = await raw.read(executionId);
  if (!read) return { executionId, legacy: false, migrated: false, bytesBefore: 0, bytesAfter: 0 };
  const plan = await planLegacyMigration(read);
  const { legacy, bytesBefore, bytesAfter } = plan;
  if (!legacy) return { executionId, legacy, migrated: false, bytesBefore, bytesAfter };
  if (options.dryRun) return { executionId, legacy, migrated: true, bytesBefore, bytesAfter };
  const next = { ...(plan.state ? { state: plan.state } : {}), ...(plan.events ? { events: plan.events } : {}) };
  const written = await raw.rewrite(executionId, purgeGuardOf(read), next);
  return written ? { executionId, legacy, migrated: true, bytesBefore, bytesAfter } : { executionId, legacy, migrated: false, bytesBefore, bytesAfter, changedMeanwhile: true };
}

/** The events as `RedisIoStore.readEvents` gives them (context of the first filled in). */
function readEvents(entries: readonly RawStreamEntry[], executionId: string): WorkflowEvent[] {
  const events = entries.map((entry) => decodeStreamEntry(entry.id, entry.fields, executionId));
  return withContext(events, events[0]);
}

/** The state as `RedisIoStore.readState` gives it: payload references filled from the entries at `<seq>-0` (legacy ids never are). */
function readState(bytes: Uint8Array, entries: readonly RawStreamEntry[], events: readonly WorkflowEvent[]): Promise<WorkflowState> {
  return hydrateSnapshot(decodeStateEnvelope(bytes), (sequences) => {
    const byId = new Map(entries.map((entry, index) => [entry.id, events[index]]));
    const found = new Map<number, WorkflowEvent>();
    for (const sequence of sequences) {
      const event = byId.get(entryIdOf(sequence));
      if (event) found.set(sequence, event);
    }
    return Promise.resolve(found);
  });
}

/** Re-encodes the events as `recordEvent` stores them, then checks they read back as before (but for `sequence`). */
function toBinaryEntries(events: readonly WorkflowEvent[], executionId: string): RawStreamEntry[] {
  const context = { tenantId: events[0]?.tenantId ?? '', workflowId: events[0]?.workflowId ?? '' };
  const entries = events.map((event, index) => ({ id: entryIdOf(index + 1), fields: [FIELD_I, encodeEventId(event.id), FIELD_E, toStoredEvent(event, index + 1, context)] }));
  const readBack = readEvents(entries, executionId);
  events.forEach((event, index) => {
    const after = readBack[index];
    const expected = encodeEventEnvelope({ ...event, sequence: BigInt(index + 1) });
    if (!after || Buffer.compare(encodeEventEnvelope(after), expected) !== 0) {
      throw new InvalidRecordError(executionId, `event ${index + 1} (id ${JSON.stringify(event.id)}) would read back differently in the binary format, not migrated`);
    }
  });
  return entries;
}

function sizeOf(state: Uint8Array | undefined, entries: readonly RawStreamEntry[]): number {
  let bytes = state?.byteLength ?? 0;
  for (const entry of entries) bytes += entry.id.length + entry.fields.reduce((sum, field) => sum + field.byteLength, 0);
  return bytes;
}
