import { decodeArchive, encodeArchive, type ArchiveEntry } from '@flunq/archive';
import { ExecutionStatus } from '@flunq/proto-types';
import type { ExecutionSummary, RawExecution } from '@flunq/redis-store';
import { describe, expect, test } from 'vitest';
import { archiveCovers, archiveOf, membersOf, SUMMARY_ENTRY } from './archive-mapping.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const summary = (executionId: string): ExecutionSummary => ({ executionId, tenantId: 't', workflowId: 'wf', workflowVersion: '1', status: ExecutionStatus.COMPLETED, createdAtMs: 1000, updatedAtMs: 2000, completedAtMs: 2000, correlationId: '', replayOf: '' });
const raw = (executionId: string, events: number): RawExecution => ({
  executionId,
  state: bytes(`state of ${executionId}`),
  events: Array.from({ length: events }, (_, i) => ({ id: `${1000 + i}-${i}`, fields: [bytes('data'), bytes(`event ${i} of ${executionId} ✓`), bytes('kind'), new Uint8Array([0, 255, i])] })),
  snapshots: [['3', bytes('snapshot')]],
  ...(events > 1 ? { blobs: [['ab'.repeat(32), bytes('blob bytes')] as const] } : {}),
});

// a stream entry's fields as archives before the `stream` kind held them: per field a 4-byte big-endian length, then its bytes
const packed = (fields: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(fields.reduce((n, f) => n + 4 + f.length, 0));
  let at = 0;
  for (const f of fields) {
    new DataView(out.buffer).setUint32(at, f.length);
    out.set(f, at + 4);
    at += 4 + f.length;
  }
  return out;
};

describe('archive mapping', () => {
  test('a batch round-trips through the archive format byte for byte, one stream entry per execution', () => {
    const members = [
      { raw: raw('a', 3), summary: summary('a') },
      { raw: raw('b', 1), summary: summary('b') },
      { raw: { executionId: 'c', events: [], snapshots: [] }, summary: summary('c') },
    ];
    const archive = decodeArchive(encodeArchive(archiveOf('batch-1', members, 5000)));
    expect(archive.entries.filter((e) => e.kind === 'stream')).toHaveLength(2);
    const back = membersOf(archive);
    for (const m of members) {
      expect(back.get(m.summary.executionId)).toEqual({ summary: m.summary, raw: m.raw.executionId === 'c' ? { executionId: 'c', events: [], snapshots: [] } : m.raw });
      expect(archiveCovers(back.get(m.summary.executionId)!.raw, m.raw)).toBe(true);
    }
  });

  test('archives written with one event entry per stream entry still read the same', () => {
    const r = raw('old', 3);
    const fields = { execution: 'old' };
    const entries: ArchiveEntry[] = [
      { kind: 'meta', name: SUMMARY_ENTRY, bytes: bytes(JSON.stringify(summary('old'))), fields },
      { kind: 'state', name: 'state', bytes: r.state!, fields },
      ...r.events.map((e): ArchiveEntry => ({ kind: 'event', name: e.id, bytes: packed(e.fields), fields })),
      { kind: 'snapshot', name: '3', bytes: bytes('snapshot'), fields },
      { kind: 'blob', name: 'ab'.repeat(32), bytes: bytes('blob bytes'), fields },
    ];
    const archive = decodeArchive(encodeArchive({ tenantId: 't', executionId: 'old', workflowId: 'wf', status: 'COMPLETED', createdAtMs: 1000, archivedAtMs: 5000, entries }));
    expect(membersOf(archive).get('old')).toEqual({ summary: summary('old'), raw: r });
  });

  test('a truncated stream entry is refused', () => {
    const archive = archiveOf('x', [{ raw: raw('a', 2), summary: summary('a') }], 5000);
    const stream = archive.entries.find((e) => e.kind === 'stream')!;
    stream.bytes = stream.bytes.subarray(0, stream.bytes.length - 3);
    expect(() => membersOf(archive)).toThrow(/truncated/);
  });
});
