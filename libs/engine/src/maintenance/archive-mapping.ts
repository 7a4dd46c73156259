import type { ArchiveEntry, ExecutionArchive } from '@flunq/archive';
import { ExecutionStatus } from '@flunq/proto-types';
import type { ExecutionSummary, RawExecution, RawStreamEntry } from '@flunq/redis-store';

/** The archive entry name of the listing summary (kind `meta`). */
export const SUMMARY_ENTRY = 'summary';

/** The archive entry name of an execution's packed event stream (kind `stream`). */
const STREAM_ENTRY = 'events';

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * An execution's whole stream as one byte string. Packed fields: per field a 4-byte big-endian
 * length, then its bytes (what an `event` entry held). The stream: per entry its id and its
 * packed fields, each as a packed field.
 */
function packStream(events: readonly RawStreamEntry[]): Uint8Array {
  const fieldsBytes = events.map((e) => e.fields.reduce((n, f) => n + 4 + f.byteLength, 0));
  const out = Buffer.allocUnsafe(events.reduce((n, e, i) => n + 8 + e.id.length + fieldsBytes[i]!, 0));
  let at = 0;
  events.forEach((e, i) => {
    at = out.writeUInt32BE(e.id.length, at);
    at += out.write(e.id, at, 'latin1');
    at = out.writeUInt32BE(fieldsBytes[i]!, at);
    for (const f of e.fields) {
      at = out.writeUInt32BE(f.byteLength, at);
      out.set(f, at);
      at += f.byteLength;
    }
  });
  return out;
}

function unpackStream(name: string, bytes: Uint8Array): RawStreamEntry[] {
  const parts = unpackFields(name, bytes);
  if (parts.length % 2 !== 0) throw new Error(`archived stream ${name}: an entry id without its fields`);
  return Array.from({ length: parts.length / 2 }, (_, i) => ({ id: latin1(parts[2 * i]!), fields: unpackFields(name, parts[2 * i + 1]!) }));
}

function unpackFields(name: string, bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; ) {
    if (at + 4 > bytes.byteLength) throw new Error(`archived event ${name}: truncated fields`);
    const length = view.getUint32(at);
    if (at + 4 + length > bytes.byteLength) throw new Error(`archived event ${name}: truncated fields`);
    fields.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

/** One execution in an archive: its keys and its listing summary. */
export interface ArchivedExecution {
  readonly raw: RawExecution;
  readonly summary: ExecutionSummary;
}

/**
 * Executions (one tenant's) as one archive object: per execution its listing summary, state,
 * event stream (one `stream` entry: every entry's id and fields), snapshots and blobs, each
 * entry naming its execution (`fields.execution`), so one object (one write, one fsync) holds a
 * whole batch of a sweep. (Archives written before the `stream` kind hold one `event` entry per
 * stream entry; {@link membersOf} reads both.)
 */
export function archiveOf(archiveId: string, members: readonly ArchivedExecution[], archivedAtMs: number): ExecutionArchive {
  const entries = members.flatMap(({ raw, summary }): ArchiveEntry[] => {
    const fields = { execution: summary.executionId };
    return [
      { kind: 'meta', name: SUMMARY_ENTRY, bytes: Buffer.from(JSON.stringify(summary), 'utf8'), fields },
      ...(raw.state ? [{ kind: 'state' as const, name: 'state', bytes: raw.state, fields }] : []),
      ...(raw.events.length > 0 ? [{ kind: 'stream' as const, name: STREAM_ENTRY, bytes: packStream(raw.events), fields }] : []),
      ...raw.snapshots.map(([field, bytes]): ArchiveEntry => ({ kind: 'snapshot', name: field, bytes, fields })),
      ...(raw.blobs ?? []).map(([hash, bytes]): ArchiveEntry => ({ kind: 'blob', name: hash, bytes, fields })),
    ];
  });
  const first = members[0]!.summary;
  const single = members.length === 1;
  return {
    tenantId: first.tenantId,
    executionId: archiveId,
    workflowId: single ? first.workflowId : '',
    status: single ? (ExecutionStatus[first.status] ?? 'UNSPECIFIED') : 'BATCH',
    createdAtMs: Math.min(...members.map((m) => m.summary.createdAtMs)),
    archivedAtMs,
    entries,
  };
}

/** The executions an archive holds, by execution id. */
export function membersOf(archive: ExecutionArchive): Map<string, ArchivedExecution> {
  const parts = new Map<string, { state?: Uint8Array; events: RawStreamEntry[]; snapshots: [string, Uint8Array][]; blobs: [string, Uint8Array][]; summary?: ExecutionSummary }>();
  for (const e of archive.entries) {
    const id = e.fields?.['execution'] ?? archive.executionId;
    let part = parts.get(id);
    if (!part) parts.set(id, (part = { events: [], snapshots: [], blobs: [] }));
    if (e.kind === 'meta' && e.name === SUMMARY_ENTRY) part.summary = JSON.parse(Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).toString('utf8')) as ExecutionSummary;
    else if (e.kind === 'state') part.state = e.bytes;
    else if (e.kind === 'stream') part.events.push(...unpackStream(`${id}/${e.name}`, e.bytes));
    else if (e.kind === 'event') part.events.push({ id: e.name, fields: unpackFields(e.name, e.bytes) });
    else if (e.kind === 'snapshot') part.snapshots.push([e.name, e.bytes]);
    else if (e.kind === 'blob') part.blobs.push([e.name, e.bytes]);
  }
  const members = new Map<string, ArchivedExecution>();
  for (const [id, p] of parts) {
    if (!p.summary) throw new Error(`archive ${archive.executionId}: execution ${id} has no listing summary`);
    members.set(id, { summary: p.summary, raw: { executionId: id, ...(p.state ? { state: p.state } : {}), events: p.events, snapshots: p.snapshots, ...(p.blobs.length ? { blobs: p.blobs } : {}) } });
  }
  return members;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * Whether `archived` holds everything `current` holds, byte for byte: the same stream entries,
 * and the same state, snapshots and claim-checked blobs where `current` still has them (an earlier stage removed
 * them from Redis, not from the archive).
 */
export function archiveCovers(archived: RawExecution, current: RawExecution): boolean {
  if (archived.events.length !== current.events.length) return false;
  for (const [i, e] of current.events.entries()) {
    const a = archived.events[i]!;
    if (a.id !== e.id || a.fields.length !== e.fields.length || !e.fields.every((f, j) => sameBytes(f, a.fields[j]!))) return false;
  }
  if (current.state && !(archived.state && sameBytes(archived.state, current.state))) return false;
  const held = (list: readonly (readonly [string, Uint8Array])[] | undefined, archivedList: readonly (readonly [string, Uint8Array])[] | undefined): boolean => {
    const byName = new Map(archivedList ?? []);
    return (list ?? []).every(([name, bytes]) => byName.has(name) && sameBytes(byName.get(name)!, bytes));
  };
  return held(current.snapshots, archived.snapshots) && held(current.blobs, archived.blobs);
}
