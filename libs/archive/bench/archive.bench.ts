/**
 * Micro-benchmark of archiving: encode, encode + put to the folder backend, get + decode,
 * for brotli at a few qualities and gzip, beside a baseline of plain `fs.writeFile` of
 * the same raw bytes, uncompressed.
 *
 *   npx tsx --conditions=@flunq/source libs/archive/bench/archive.bench.ts
 *
 * Sized by env: ARCHIVE_BENCH_MB (raw megabytes archived per pass, default 200),
 * ARCHIVE_BENCH_PARALLEL (archives in flight in the async column, default 4),
 * ARCHIVE_BENCH_CONFIGS (codecs to run, e.g. `brotli:3,brotli,gzip:1`; default a standard set),
 * ARCHIVE_BENCH_DIR (where files go, default the OS temp folder). Subject: execution
 * archives of 10 KB .. 1 MB (log-uniform), each a state plus events and snapshots of
 * JSON with ids, times, numbers and text, as the store keeps them. MB/s are of raw
 * (uncompressed) bytes, 1 MB = 10^6 bytes, one thread. Not a test; numbers vary with the
 * machine and its load.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveKey, decodeArchive, encodeArchive, encodeArchiveAsync, FolderArchiveBackend, type ArchiveCodec, type ArchiveEntry, type ExecutionArchive } from '../src/index.js';
import { seededRandom } from '../src/testing/sample-archives.js';

const PARALLEL = Number(process.env['ARCHIVE_BENCH_PARALLEL'] ?? 4);
const TOTAL_BYTES = Number(process.env['ARCHIVE_BENCH_MB'] ?? 200) * 1e6;
const random = seededRandom(7);
const utf8 = new TextEncoder();
const WORDS = ['order', 'customer', 'payment', 'shipment', 'invoice', 'refund', 'pending', 'approved', 'express', 'standard', 'EUR', 'USD'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A JSON payload of about `size` bytes: records with ids, times, amounts and words. */
function payload(size: number): Uint8Array {
  const items: unknown[] = [];
  let length = 0;
  while (length < size) {
    const item = {
      id: `${pick(WORDS)}-${hex(6)}`,
      at: 1_732_590_000_000 + Math.floor(random() * 1e9),
      amount: Math.round(random() * 1e6) / 100,
      status: pick(WORDS),
      tags: [pick(WORDS), pick(WORDS)],
      note: `${pick(WORDS)} ${pick(WORDS)} ${hex(4)} ${pick(WORDS)}`,
    };
    length += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return utf8.encode(JSON.stringify({ items }));
}

function makeArchive(index: number, size: number): ExecutionArchive {
  const entries: ArchiveEntry[] = [{ kind: 'state', name: 'state', bytes: payload(Math.min(size / 4, 20_000)) }];
  let total = entries[0]?.bytes.length ?? 0;
  for (let seq = 0; total < size; seq += 1) {
    const bytes = payload(300 + random() ** 2 * 8_000);
    const kind = seq % 25 === 24 ? 'snapshot' : 'event';
    entries.push({ kind, name: `${1_732_590_000_000 + seq}-0`, bytes, fields: { event_type: `task.${pick(WORDS)}`, seq: String(seq) } });
    total += bytes.length;
  }
  const createdAtMs = 1_732_590_000_000 + index * 1000;
  return { tenantId: 'bench', executionId: `exec-${index}`, workflowId: 'bench', status: 'COMPLETED', createdAtMs, archivedAtMs: createdAtMs + 9e8, entries };
}

/** ARCHIVE_BENCH_CONFIGS, e.g. `brotli:3,brotli,gzip:1` (no level: the default), or a standard set. */
function configs(): Array<[ArchiveCodec, number | undefined, string]> {
  const list = process.env['ARCHIVE_BENCH_CONFIGS'] ?? 'brotli,brotli:3,brotli:5,gzip,gzip:1,none';
  return list.split(',').map((item) => {
    const [codec = 'brotli', level] = item.trim().split(':');
    const label = level === undefined ? `${codec} (default)` : `${codec} ${level}`;
    return [codec as ArchiveCodec, level === undefined ? undefined : Number(level), label];
  });
}

const rawSize = (archive: ExecutionArchive): number => archive.entries.reduce((sum, entry) => sum + entry.bytes.length, 0);

async function timed(run: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const mbps = (bytes: number, seconds: number): string => (bytes / 1e6 / seconds).toFixed(1).padStart(7);

async function main(): Promise<void> {
  const archives: ExecutionArchive[] = [];
  let raw = 0;
  while (raw < TOTAL_BYTES) {
    const archive = makeArchive(archives.length, Math.exp(Math.log(10_000) + random() * Math.log(100)));
    archives.push(archive);
    raw += rawSize(archive);
  }
  const base = await mkdtemp(join(process.env['ARCHIVE_BENCH_DIR'] ?? tmpdir(), 'flunq-archive-bench-'));
  console.log(`${archives.length} archives, ${(raw / 1e6).toFixed(1)} MB raw (10 KB .. 1 MB each), in ${base}`);
  console.log(`config          encode MB/s   encode+put MB/s   async x${PARALLEL} encode+put MB/s   get+decode MB/s   ratio   async vs baseline`);
  try {
    const baselineDir = join(base, 'baseline');
    await new FolderArchiveBackend({ root: baselineDir }).put('warm/up', new Uint8Array(1));
    const baseline = await timed(async () => {
      for (const [i, archive] of archives.entries()) {
        await writeFile(join(baselineDir, `raw-${i}`), Buffer.concat(archive.entries.map((entry) => entry.bytes)));
      }
    });
    console.log(`baseline: fs.writeFile of raw bytes, uncompressed, no fsync: ${mbps(raw, baseline)} MB/s`);

    for (const [codec, level, label] of configs()) {
      const options = level === undefined ? { codec } : { codec, level };
      let encoded = 0;
      const encodeOnly = await timed(() => {
        for (const archive of archives) encoded += encodeArchive(archive, options).length;
      });
      const backend = new FolderArchiveBackend({ root: join(base, label.replace(/\W+/g, '-')) });
      const keys = archives.map((archive) => archiveKey(archive.tenantId, archive.executionId, archive.createdAtMs));
      const encodePut = await timed(async () => {
        for (const [i, archive] of archives.entries()) await backend.put(keys[i] ?? '', encodeArchive(archive, options));
      });
      const parallel = await timed(async () => {
        // PARALLEL archives in flight: compression on the thread pool, so both cores work.
        let next = 0;
        const worker = async (): Promise<void> => {
          for (let i = next++; i < archives.length; i = next++) {
            const archive = archives[i] as ExecutionArchive;
            await backend.put(`${keys[i] ?? ''}.async`, await encodeArchiveAsync(archive, options));
          }
        };
        await Promise.all(Array.from({ length: PARALLEL }, worker));
      });
      const getDecode = await timed(async () => {
        for (const key of keys) decodeArchive((await backend.get(key)) ?? new Uint8Array(0));
      });
      const ratio = (raw / encoded).toFixed(2).padStart(5);
      console.log(`${label.padEnd(16)}${mbps(raw, encodeOnly)}       ${mbps(raw, encodePut)}         ${mbps(raw, parallel)}                ${mbps(raw, getDecode)}     ${ratio}   ${(baseline / parallel).toFixed(2)}x`);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

await main();
