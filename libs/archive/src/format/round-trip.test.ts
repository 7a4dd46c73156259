import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ArchiveTooLargeError, InvalidArchiveError } from '../errors.js';
import { randomExecutionArchive, sampleExecutionArchive, seededRandom } from '../testing/sample-archives.js';
import type { ArchiveCodec, ExecutionArchive } from './archive-types.js';
import { decodeArchive, decodeArchiveAsync, readManifest } from './decode-archive.js';
import { encodeArchive, encodeArchiveAsync } from './encode-archive.js';
import { HEADER_SIZE, readHeader } from './header.js';
import { MAX_ARCHIVE_ENTRIES } from './limits.js';

const CODECS: ArchiveCodec[] = ['brotli', 'gzip', 'none'];

/** Byte-level comparison, independent of how the test runner compares typed arrays. */
function expectSameArchive(actual: ExecutionArchive, expected: ExecutionArchive): void {
  const { entries: actualEntries, ...actualRest } = actual;
  const { entries: expectedEntries, ...expectedRest } = expected;
  expect(actualRest).toEqual(expectedRest);
  expect(actualEntries).toHaveLength(expectedEntries.length);
  expectedEntries.forEach((entry, i) => {
    const got = actualEntries[i];
    expect(got?.kind).toBe(entry.kind);
    expect(got?.name).toBe(entry.name);
    expect(got?.fields).toEqual(entry.fields);
    expect(Buffer.compare(Buffer.from(got?.bytes ?? []), Buffer.from(entry.bytes))).toBe(0);
  });
}

describe('encodeArchive / decodeArchive', () => {
  test.each(CODECS)('round trip with %s is byte-equal', (codec) => {
    const archive = sampleExecutionArchive();
    const encoded = encodeArchive(archive, { codec });
    expectSameArchive(decodeArchive(encoded), archive);
  });

  test('brotli is the default and compresses', () => {
    const archive = sampleExecutionArchive();
    archive.entries.push({ kind: 'blob', name: 'repetitive', bytes: new TextEncoder().encode('{"a":1},'.repeat(10_000)) });
    const encoded = encodeArchive(archive);
    expect(readManifest(encoded).codec).toBe('brotli');
    expect(encoded.length).toBeLessThan(2_000);
  });

  test('the default is brotli quality 4', () => {
    const archive = sampleExecutionArchive();
    expect(Buffer.compare(encodeArchive(archive), encodeArchive(archive, { codec: 'brotli', level: 4 }))).toBe(0);
    expect(Buffer.compare(encodeArchive(archive), encodeArchive(archive, { codec: 'brotli', level: 5 }))).not.toBe(0);
  });

  test.each([0, 1, 11])('every brotli level works (%i)', (level) => {
    const archive = sampleExecutionArchive();
    expectSameArchive(decodeArchive(encodeArchive(archive, { codec: 'brotli', level })), archive);
  });

  test('no entries, empty strings and no finish time', () => {
    const archive: ExecutionArchive = { tenantId: 't', executionId: 'e', workflowId: '', status: '', createdAtMs: 0, archivedAtMs: 0, entries: [] };
    const decoded = decodeArchive(encodeArchive(archive));
    expect(decoded).toEqual(archive);
    expect('finishedAtMs' in decoded).toBe(false);
  });

  test('lone surrogates and JSON-special characters in names survive', () => {
    const archive = sampleExecutionArchive();
    archive.entries = [{ kind: 'meta', name: '\ud800 "quoted" \\ \n\u0000', bytes: new Uint8Array([0]), fields: { '\udfff': '\u2028' } }];
    expectSameArchive(decodeArchive(encodeArchive(archive)), archive);
  });

  test('random archives round trip (seeded)', () => {
    const random = seededRandom(20_241_126);
    for (let run = 0; run < 150; run += 1) {
      const archive = randomExecutionArchive(random);
      const codec = CODECS[run % CODECS.length];
      const encoded = encodeArchive(archive, { codec });
      expectSameArchive(decodeArchive(encoded), archive);
      const manifest = readManifest(encoded);
      expect(manifest.entries.map((entry) => entry.length)).toEqual(archive.entries.map((entry) => entry.bytes.length));
    }
  });

  test.each(CODECS)('the async forms give the same bytes and the same archive (%s)', async (codec) => {
    const random = seededRandom(99);
    for (let run = 0; run < 10; run += 1) {
      const archive = randomExecutionArchive(random, 30, 50_000);
      const encoded = await encodeArchiveAsync(archive, { codec });
      expect(Buffer.compare(encoded, encodeArchive(archive, { codec }))).toBe(0);
      expectSameArchive(await decodeArchiveAsync(encoded), archive);
    }
  });

  test('the async decoder refuses damage as the sync one does', async () => {
    const encoded = encodeArchive(sampleExecutionArchive());
    encoded[encoded.length - 1] = (encoded[encoded.length - 1] ?? 0) ^ 1;
    await expect(decodeArchiveAsync(encoded)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPTED', part: 'body-checksum' });
    await expect(encodeArchiveAsync({ ...sampleExecutionArchive(), tenantId: '' })).rejects.toMatchObject({ code: 'INVALID_ARCHIVE' });
  });

  test('the same input always encodes to the same bytes', () => {
    const a = encodeArchive(sampleExecutionArchive());
    const b = encodeArchive(sampleExecutionArchive());
    expect(Buffer.compare(a, b)).toBe(0);
  });

  test('decoded entries do not alias the input bytes', () => {
    const encoded = encodeArchive(sampleExecutionArchive(), { codec: 'none' });
    const decoded = decodeArchive(encoded);
    encoded.fill(0);
    expect(new TextDecoder().decode(decoded.entries[0]?.bytes)).toContain('COMPLETED');
  });
});

describe('readManifest', () => {
  test('describes ids, times, every entry and the sha256 of the data (format 2)', () => {
    const archive = sampleExecutionArchive();
    const manifest = readManifest(encodeArchive(archive, { codec: 'gzip' }));
    expect(manifest).toMatchObject({ format: 2, codec: 'gzip', tenantId: 'acme', executionId: 'exec-7f3a9c2e4b1d', status: 'COMPLETED' });
    expect(manifest.finishedAtMs).toBe(archive.finishedAtMs);
    const data = Buffer.concat(archive.entries.map((entry) => entry.bytes));
    expect(manifest.dataSha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(manifest.dataBytes).toBe(data.length);
    const offsets = archive.entries.map((_, i) => archive.entries.slice(0, i).reduce((sum, entry) => sum + entry.bytes.length, 0));
    expect(manifest.entries.map((entry) => entry.offset)).toEqual(offsets);
    expect(manifest.entries[5]).toEqual({ kind: 'blob', name: 'empty', offset: offsets[5], length: 0 });
    expect(manifest.entries.some((entry) => 'sha256' in entry)).toBe(false);
    expect(manifest.entries[1]?.fields).toEqual({ event_type: 'workflow.started' });
  });

  test('the stored manifest holds no offsets and no per-entry sha256', () => {
    const encoded = encodeArchive(sampleExecutionArchive(), { codec: 'none' });
    const stored = JSON.parse(new TextDecoder().decode(encoded.subarray(HEADER_SIZE, HEADER_SIZE + readHeader(encoded).manifestRawBytes))) as { entries: object[] };
    expect(readHeader(encoded).version).toBe(2);
    for (const entry of stored.entries) expect(Object.keys(entry).sort()).toEqual(expect.arrayContaining(['kind', 'length', 'name']));
    expect(stored.entries.flatMap((entry) => Object.keys(entry)).filter((key) => key === 'offset' || key === 'sha256')).toEqual([]);
  });
});

describe('input checks', () => {
  const bad: Array<[string, (archive: ExecutionArchive) => void, string]> = [
    ['empty tenant', (a) => (a.tenantId = ''), 'tenantId'],
    ['negative time', (a) => (a.createdAtMs = -1), 'createdAtMs'],
    ['fractional time', (a) => (a.archivedAtMs = 1.5), 'archivedAtMs'],
    ['unknown kind', (a) => ((a.entries[0] as { kind: string }).kind = 'log'), 'entries[0].kind'],
    ['bytes not bytes', (a) => ((a.entries[1] as { bytes: unknown }).bytes = 'text'), 'entries[1].bytes'],
    ['field not a string', (a) => ((a.entries[1] as { fields: unknown }).fields = { n: 1 }), 'entries[1].fields.n'],
  ];
  test.each(bad)('%s is refused', (_label, spoil, path) => {
    const archive = sampleExecutionArchive();
    spoil(archive);
    expect(() => encodeArchive(archive)).toThrow(expect.objectContaining({ code: 'INVALID_ARCHIVE', path }));
  });

  test('bad levels and codecs are refused', () => {
    expect(() => encodeArchive(sampleExecutionArchive(), { level: 12 })).toThrow(InvalidArchiveError);
    expect(() => encodeArchive(sampleExecutionArchive(), { codec: 'gzip', level: 10 })).toThrow(InvalidArchiveError);
    expect(() => encodeArchive(sampleExecutionArchive(), { codec: 'zstd' as ArchiveCodec })).toThrow(InvalidArchiveError);
  });

  test('more than a million entries is refused before encoding', () => {
    const archive = sampleExecutionArchive();
    const entry = { kind: 'blob' as const, name: '', bytes: new Uint8Array(0) };
    archive.entries = new Array(MAX_ARCHIVE_ENTRIES + 1).fill(entry);
    expect(() => encodeArchive(archive)).toThrow(ArchiveTooLargeError);
  });
});
