import type { ArchiveEntry, ExecutionArchive } from '@flunq/archive';
import { ExecutionStatus } from '@flunq/proto-types';
import type { ExecutionSummary, RawExecution, RawStreamEntry } from '@flunq/redis-store';

/** The archive entry name of the listing summary (kind `meta`). */
export const SUMMARY_ENTRY = 'summary';

// A stream entry's field/value arguments as one byte string: per argument a 4-byte big-endian length, then its bytes.
function packFields(fields: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, f) => n + 4 + f.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const f of fields) {
    view.setUint32(at, f.byteLength);
    out.set(f, at + 4);
    at += 4 + f.byteLength;
  }
  return out;
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

/** An execution's keys (and its listing summary) as an archive: state, each stream entry, each snapshot, the summary. */
export function archiveOf(raw: RawExecution, summary: ExecutionSummary, archivedAtMs: number): ExecutionArchive {
  const entries: ArchiveEntry[] = [
    ...(raw.state ? [{ kind: 'state' as const, name: 'state', bytes: raw.state }] : []),
    ...raw.events.map((e): ArchiveEntry => ({ kind: 'event', name: e.id, bytes: packFields(e.fields) })),
    ...raw.snapshots.map(([field, bytes]): ArchiveEntry => ({ kind: 'snapshot', name: field, bytes })),
    { kind: 'meta', name: SUMMARY_ENTRY, bytes: new TextEncoder().encode(JSON.stringify(summary)) },
  ];
  return {
    tenantId: summary.tenantId,
    executionId: summary.executionId,
    workflowId: summary.workflowId,
    status: ExecutionStatus[summary.status] ?? 'UNSPECIFIED',
    createdAtMs: summary.createdAtMs,
    ...(summary.completedAtMs > 0 ? { finishedAtMs: summary.completedAtMs } : {}),
    archivedAtMs,
    entries,
  };
}

/** The keys an archive holds, as a restore writes them back, and the listing summary it kept. */
export function rawOf(archive: ExecutionArchive): { raw: RawExecution; summary: ExecutionSummary } {
  const state = archive.entries.find((e) => e.kind === 'state')?.bytes;
  const events: RawStreamEntry[] = archive.entries.filter((e) => e.kind === 'event').map((e) => ({ id: e.name, fields: unpackFields(e.name, e.bytes) }));
  const snapshots = archive.entries.filter((e) => e.kind === 'snapshot').map((e): [string, Uint8Array] => [e.name, e.bytes]);
  const meta = archive.entries.find((e) => e.kind === 'meta' && e.name === SUMMARY_ENTRY);
  if (!meta) throw new Error(`archive of ${archive.executionId}: no listing summary`);
  const summary = JSON.parse(new TextDecoder().decode(meta.bytes)) as ExecutionSummary;
  return { raw: { executionId: archive.executionId, ...(state ? { state } : {}), events, snapshots }, summary };
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * Whether `archived` holds everything `current` holds, byte for byte: the same stream entries,
 * and the same state and snapshots where `current` still has them (an earlier stage removed
 * them from Redis, not from the archive).
 */
export function archiveCovers(archived: RawExecution, current: RawExecution): boolean {
  if (archived.events.length !== current.events.length) return false;
  for (const [i, e] of current.events.entries()) {
    const a = archived.events[i]!;
    if (a.id !== e.id || a.fields.length !== e.fields.length || !e.fields.every((f, j) => sameBytes(f, a.fields[j]!))) return false;
  }
  if (current.state && !(archived.state && sameBytes(archived.state, current.state))) return false;
  const snapshots = new Map(archived.snapshots);
  return current.snapshots.every(([field, bytes]) => snapshots.has(field) && sameBytes(snapshots.get(field)!, bytes));
}
