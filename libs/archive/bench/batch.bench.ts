/**
 * Batch-shaped bench: what a retention sweep does per batch of 200 executions x 8 entries
 * of 300 B .. 2 KB JSON (each entry with `fields: { execution: <uuid> }`), brotli 4.
 * Format version 1 (the frozen encoder in v1-encoder.ts, decoded by today's reader)
 * beside the library's current format 2, for encode (async), decode, and the check of
 * what was written: v1 decodes it back, v2 seals and verifies. Both columns use today's
 * codecs, so the v1 column is not the code before v2 existed (see README for those numbers).
 *
 *   npx tsx --conditions=@flunq/source libs/archive/bench/batch.bench.ts
 *
 * Two shapes: one archive holding the whole batch (1,600 entries), and 200 archives of
 * 8 entries (one per execution, encoded concurrently). Env: ARCHIVE_BENCH_ROUNDS (default 40).
 * Times are per batch: wall ms (median of the rounds) and CPU ms of the whole process, all
 * threads (mean). Not a test; numbers vary with the machine and its load.
 */
import { decodeArchive, decodeArchiveAsync, encodeArchiveAsync, sealArchiveAsync, verifySealedArchive, type ArchiveEntry, type ArchiveEntryKind, type ExecutionArchive } from '../src/index.js';
import { seededRandom } from '../src/testing/sample-archives.js';
import { encodeArchiveV1Async } from './v1-encoder.js';

const ROUNDS = Number(process.env['ARCHIVE_BENCH_ROUNDS'] ?? 40);
const OPTIONS = { codec: 'brotli', level: 4 } as const;
const KINDS: readonly ArchiveEntryKind[] = ['state', 'event', 'event', 'event', 'event', 'snapshot', 'blob', 'meta'];
const random = seededRandom(11);
const utf8 = new TextEncoder();
const hex = (length: number): string => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

/** JSON of 300 B .. 2 KB: records with ids, times, amounts and words. */
function payload(): Uint8Array {
  const size = 300 + Math.floor(random() * 1_700);
  const items: unknown[] = [];
  let text = '';
  while (text.length < size - 80) {
    items.push({ id: `item-${hex(8)}`, at: 1_732_590_000_000 + Math.floor(random() * 1e9), amount: Math.round(random() * 1e6) / 100, status: random() < 0.5 ? 'approved' : 'pending' });
    text = JSON.stringify({ items });
  }
  return utf8.encode(text);
}

function executionEntries(execution: string): ArchiveEntry[] {
  return KINDS.map((kind, i) => ({ kind, name: `${1_732_590_000_000 + i}-0`, bytes: payload(), fields: { execution } }));
}

function archiveOf(executionId: string, entries: ArchiveEntry[]): ExecutionArchive {
  return { tenantId: 'bench', executionId, workflowId: 'sweep', status: 'COMPLETED', createdAtMs: 1_732_590_000_000, finishedAtMs: 1_732_590_004_000, archivedAtMs: 1_735_000_000_000, entries };
}

const executions = Array.from({ length: 200 }, () => uuid()).map((id) => ({ id, entries: executionEntries(id) }));
const shapes: Array<[string, ExecutionArchive[]]> = [
  ['one archive of 200 x 8 entries', [archiveOf('batch', executions.flatMap((e) => e.entries))]],
  ['200 archives of 8 entries', executions.map((e) => archiveOf(e.id, e.entries))],
];

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Runs `a` and `b` in alternation (order swapped each round, so drift and GC fall on both alike). */
async function measurePair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Timing, Timing]> {
  const runs = [a, b];
  const walls: number[][] = [[], []];
  const cpu = [0, 0];
  for (let round = -3; round < ROUNDS; round += 1) {
    for (const which of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      await runs[which]?.();
      if (round < 0) continue; // warm-up
      walls[which]?.push(Number(process.hrtime.bigint() - start) / 1e6);
      const used = process.cpuUsage(cpuStart);
      cpu[which] = (cpu[which] ?? 0) + (used.user + used.system) / 1e3;
    }
  }
  const timing = (which: number): Timing => {
    const sorted = [...(walls[which] ?? [])].sort((x, y) => x - y);
    return { wallMs: sorted[Math.floor(sorted.length / 2)] ?? 0, cpuMs: (cpu[which] ?? 0) / ROUNDS };
  };
  return [timing(0), timing(1)];
}

const cell = (t: Timing): string => `${t.wallMs.toFixed(1).padStart(7)} ms ${t.cpuMs.toFixed(1).padStart(7)} cpu`;

async function main(): Promise<void> {
  console.log(`brotli 4, ${ROUNDS} rounds, v1 and v2 alternating; per batch: wall ms (median) and process CPU ms, all threads (mean)`);
  for (const [label, archives] of shapes) {
    const raw = archives.reduce((sum, a) => sum + a.entries.reduce((s, e) => s + e.bytes.length, 0), 0);
    const v1 = await Promise.all(archives.map((a) => encodeArchiveV1Async(a, OPTIONS)));
    const sealed = await Promise.all(archives.map((a) => sealArchiveAsync(a, OPTIONS)));
    const v2 = sealed.map((s) => s.bytes);
    const size = (list: Uint8Array[]): number => list.reduce((sum, bytes) => sum + bytes.length, 0);
    console.log(`\n${label}: ${(raw / 1e3).toFixed(0)} KB raw; encoded v1 ${size(v1)} B, v2 ${size(v2)} B`);
    const rows: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      ['encode (async)', () => Promise.all(archives.map((a) => encodeArchiveV1Async(a, OPTIONS))), () => Promise.all(archives.map((a) => encodeArchiveAsync(a, OPTIONS)))],
      ['decode', async () => v1.map((b) => decodeArchive(b)), async () => v2.map((b) => decodeArchive(b))],
      ['decode (async)', () => Promise.all(v1.map((b) => decodeArchiveAsync(b))), () => Promise.all(v2.map((b) => decodeArchiveAsync(b)))],
      [
        'write + verify: v1 encode+decode, v2 seal+verify',
        () => Promise.all(archives.map(async (a) => decodeArchive(await encodeArchiveV1Async(a, OPTIONS)))),
        () => Promise.all(archives.map(async (a) => { const s = await sealArchiveAsync(a, OPTIONS); await verifySealedArchive(s.bytes.slice(), s); })),
      ],
      ['verify only: v1 decode, v2 verifySealedArchive', async () => v1.map((b) => decodeArchive(b)), () => Promise.all(sealed.map((s, i) => verifySealedArchive(v2[i] ?? new Uint8Array(0), s)))],
    ];
    console.log(`${'operation'.padEnd(50)}${'v1'.padEnd(26)}${'v2'.padEnd(26)}v2/v1 wall  cpu`);
    for (const [name, runV1, runV2] of rows) {
      const [a, b] = await measurePair(runV1, runV2);
      console.log(`${name.padEnd(50)}${cell(a)}   ${cell(b)}   ${(b.wallMs / a.wallMs).toFixed(2).padStart(5)}  ${(b.cpuMs / a.cpuMs).toFixed(2).padStart(5)}`);
    }
  }
}

await main();
