import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ArchiveCorruptedError, ArchiveError, ArchiveTooLargeError, UnsupportedArchiveVersionError } from '../errors.js';
import { sampleExecutionArchive } from '../testing/sample-archives.js';
import type { ArchiveCodec, ExecutionArchive } from './archive-types.js';
import { compress, decompress } from './codecs.js';
import { decodeArchive, readManifest } from './decode-archive.js';
import { encodeArchive } from './encode-archive.js';
import { HEADER_SIZE, readHeader, writeHeader, type ArchiveHeader } from './header.js';

function smallArchive(): ExecutionArchive {
  const archive = sampleExecutionArchive();
  archive.entries = archive.entries.slice(0, 3);
  return archive;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Replaces `from` by `to` in the manifest of a `none`-codec archive and reseals it. */
function spoilManifest(encoded: Uint8Array, from: string, to: string): Uint8Array {
  const header = readHeader(encoded);
  const text = new TextDecoder().decode(encoded.subarray(HEADER_SIZE, HEADER_SIZE + header.manifestRawBytes));
  expect(text).toContain(from);
  const changed = new TextEncoder().encode(text.replace(from, to));
  const out = new Uint8Array(encoded.length - header.manifestRawBytes + changed.length);
  out.set(encoded.subarray(0, HEADER_SIZE));
  out.set(changed, HEADER_SIZE);
  out.set(encoded.subarray(HEADER_SIZE + header.manifestRawBytes), HEADER_SIZE + changed.length);
  writeHeader(out, { ...header, manifestRawBytes: changed.length, manifestEncodedBytes: changed.length });
  return out;
}

/** Rewrites header fields and the digest, as a writer with a bug (or an attacker) would. */
function reseal(bytes: Uint8Array, change: (header: ArchiveHeader) => void = () => undefined): Uint8Array {
  const header = readHeader(bytes);
  change(header);
  writeHeader(bytes, header);
  return bytes;
}

describe('corruption is detected', () => {
  test.each<ArchiveCodec>(['brotli', 'gzip', 'none'])('every single-byte flip (%s)', (codec) => {
    const encoded = encodeArchive(smallArchive(), { codec });
    const parts = new Set<string>();
    for (let position = 0; position < encoded.length; position += 1) {
      for (const mask of [0x01, 0x80]) {
        const spoiled = encoded.slice();
        spoiled[position] = (spoiled[position] ?? 0) ^ mask;
        const error = thrown(() => decodeArchive(spoiled));
        expect(error, `flip ${mask} at ${position}`).toBeInstanceOf(ArchiveError);
        if (error instanceof ArchiveCorruptedError) parts.add(error.part);
      }
    }
    expect([...parts].sort()).toEqual(['body-checksum', 'header']);
  });

  test('every truncation and trailing bytes', () => {
    const encoded = encodeArchive(smallArchive());
    for (let length = 0; length < encoded.length; length += 1) {
      const error = thrown(() => decodeArchive(encoded.subarray(0, length)));
      expect(error, `length ${length}`).toBeInstanceOf(ArchiveCorruptedError);
      expect((error as ArchiveCorruptedError).part).toBe('header');
    }
    const longer = new Uint8Array(encoded.length + 1);
    longer.set(encoded);
    expect(() => decodeArchive(longer)).toThrow(/unexpected bytes after the body/);
  });

  test('bytes that are not an archive', () => {
    expect(() => decodeArchive(new TextEncoder().encode('{"hello":"world"} '.repeat(10)))).toThrow(/bad magic/);
  });

  test('a flipped byte in the data section fails the header digest', () => {
    const encoded = encodeArchive(smallArchive());
    const header = readHeader(encoded);
    const at = HEADER_SIZE + header.manifestEncodedBytes + Math.floor(header.dataEncodedBytes / 2);
    encoded[at] = (encoded[at] ?? 0) ^ 0x10;
    expect(() => readManifest(encoded)).toThrow(expect.objectContaining({ part: 'body-checksum' }));
    expect(() => decodeArchive(encoded)).toThrow(expect.objectContaining({ part: 'body-checksum' }));
  });

  test('data that does not match the manifest dataSha256 is refused (digest recomputed)', () => {
    const encoded = encodeArchive(smallArchive(), { codec: 'none' });
    const dataAt = HEADER_SIZE + readHeader(encoded).manifestEncodedBytes;
    encoded[dataAt + 3] = (encoded[dataAt + 3] ?? 0) ^ 0x20;
    reseal(encoded);
    expect(() => readManifest(encoded)).not.toThrow();
    expect(() => decodeArchive(encoded)).toThrow(expect.objectContaining({ part: 'data', message: expect.stringMatching(/sha256 of the data/) }));
  });

  test('a manifest whose dataSha256 is wrong (digest recomputed) fails on data', () => {
    const manifest = readManifest(encodeArchive(smallArchive()));
    const wrong = `${manifest.dataSha256?.startsWith('0') ? '1' : '0'}${manifest.dataSha256?.slice(1) ?? ''}`;
    const spoiled = spoilManifest(encodeArchive(smallArchive(), { codec: 'none' }), `"dataSha256":"${manifest.dataSha256}"`, `"dataSha256":"${wrong}"`);
    expect(readManifest(spoiled).dataSha256).toBe(wrong);
    expect(() => decodeArchive(spoiled)).toThrow(expect.objectContaining({ part: 'data' }));
  });

  test('a manifest that disagrees with the header or itself', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['"format":2', '"format":1', /format 1 differs/],
      ['"kind":"state"', '"kind":"stat"', /kind "stat" is unknown/],
      ['"length":', '"length":-', /length is not a non-negative integer/],
      ['"tenantId":"acme"', '"tenantId":7', /tenantId is not a string/],
      ['"dataSha256":"', '"dataSha256":"X', /dataSha256 is not 64 lowercase hex digits/],
      ['"dataSha256"', '"dataSha512"', /dataSha256 is not a string/],
      ['"fields":{"event_type"', '"fields":{"n":1,"event_type"', /fields.n is not a string/],
      ['{"format"', '["format"', /not UTF-8 JSON/],
    ];
    for (const [from, to, message] of cases) {
      const error = thrown(() => readManifest(spoilManifest(encodeArchive(smallArchive(), { codec: 'none' }), from, to)));
      expect(error, from).toBeInstanceOf(ArchiveCorruptedError);
      expect(error).toMatchObject({ part: 'manifest' });
      expect((error as Error).message).toMatch(message);
    }
  });

  test('a data size in the header that the manifest does not account for', () => {
    const encoded = reseal(encodeArchive(smallArchive()), (h) => (h.dataRawBytes -= 1));
    expect(() => readManifest(encoded)).toThrow(expect.objectContaining({ part: 'manifest' }));
  });

  test.each<ArchiveCodec>(['brotli', 'gzip'])('%s data that inflates past its announced size is cut off, not allocated', (codec) => {
    const bomb = compress(codec, 1, new Uint8Array(50_000_000));
    expect(bomb.length).toBeLessThan(1_000_000);
    expect(() => decompress(codec, bomb, 10, 'data')).toThrow(expect.objectContaining({ part: 'data' }));
    expect(() => decompress(codec, bomb, 50_000_001, 'data')).toThrow(/decompressed to 50000000 bytes/);
  });
});

describe('format version 1 (fixture written by the version 1 encoder, codec none)', () => {
  const v1 = (): Uint8Array => new Uint8Array(readFileSync(new URL('./fixtures/v1-sample-none.flunqarc', import.meta.url)));

  test('an entry whose bytes do not match its sha256 is named', () => {
    const encoded = v1();
    const header = readHeader(encoded);
    expect(header.version).toBe(1);
    const secondEntryAt = HEADER_SIZE + header.manifestEncodedBytes + (readManifest(encoded).entries[1]?.offset ?? 0);
    encoded[secondEntryAt] = (encoded[secondEntryAt] ?? 0) ^ 0x20;
    reseal(encoded);
    expect(() => readManifest(encoded)).not.toThrow();
    const error = thrown(() => decodeArchive(encoded));
    expect(error).toBeInstanceOf(ArchiveCorruptedError);
    expect(error).toMatchObject({ part: 'entry', entry: 'state/vars' });
    expect((error as Error).message).toContain('state/vars');
  });

  test('a version 1 manifest is checked as strictly as before', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['"format":1', '"format":2', /format 2 differs/],
      ['"offset":0', '"offset":1', /offset is 1, expected 0/],
      ['"offset":0,', '', /entries\[0\]\.offset is not a non-negative integer/],
      ['"sha256":"', '"sha256":"Z', /sha256 is not 64 lowercase hex digits/],
      ['"kind":"state"', '"kind":"stat"', /kind "stat" is unknown/],
    ];
    for (const [from, to, message] of cases) {
      const error = thrown(() => readManifest(spoilManifest(v1(), from, to)));
      expect(error, from).toBeInstanceOf(ArchiveCorruptedError);
      expect(error).toMatchObject({ part: 'manifest' });
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('versions and limits', () => {
  test('an unknown format version is refused', () => {
    const encoded = encodeArchive(smallArchive());
    for (const version of [0, 3]) {
      encoded[9] = version;
      const error = thrown(() => decodeArchive(encoded));
      expect(error).toBeInstanceOf(UnsupportedArchiveVersionError);
      expect(error).toMatchObject({ code: 'ARCHIVE_VERSION_UNSUPPORTED', version, supported: [1, 2] });
    }
  });

  test.each<[string, (h: ArchiveHeader) => void]>([
    ['MAX_MANIFEST_BYTES', (h) => (h.manifestRawBytes = 16 * 1024 * 1024 + 1)],
    ['MAX_ARCHIVE_ENTRIES', (h) => (h.entryCount = 1_000_001)],
    ['maxDataBytes', (h) => (h.dataRawBytes = 2 ** 40)],
  ])('absurd header sizes are refused before decompressing (%s)', (limitName, change) => {
    const encoded = reseal(encodeArchive(smallArchive()), change);
    const error = thrown(() => decodeArchive(encoded));
    expect(error).toBeInstanceOf(ArchiveTooLargeError);
    expect(error).toMatchObject({ limitName });
  });

  test('maxDataBytes is honoured', () => {
    const encoded = encodeArchive(smallArchive());
    expect(() => decodeArchive(encoded, { maxDataBytes: 10 })).toThrow(ArchiveTooLargeError);
    expect(decodeArchive(encoded, { maxDataBytes: readHeader(encoded).dataRawBytes }).entries).toHaveLength(3);
  });
});
