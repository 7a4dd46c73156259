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

  test('an entry whose bytes do not match its sha256 is named', () => {
    const encoded = encodeArchive(smallArchive(), { codec: 'none' });
    const header = readHeader(encoded);
    const secondEntryAt = HEADER_SIZE + header.manifestEncodedBytes + (smallArchive().entries[0]?.bytes.length ?? 0);
    encoded[secondEntryAt] = (encoded[secondEntryAt] ?? 0) ^ 0x20;
    reseal(encoded);
    expect(() => readManifest(encoded)).not.toThrow();
    const error = thrown(() => decodeArchive(encoded));
    expect(error).toBeInstanceOf(ArchiveCorruptedError);
    expect(error).toMatchObject({ part: 'entry', entry: 'event/1732590000000-0' });
    expect((error as Error).message).toContain('event/1732590000000-0');
  });

  test('a manifest that disagrees with the header or itself', () => {
    const manifestAt = HEADER_SIZE;
    const spoilManifest = (from: string, to: string): Uint8Array => {
      const encoded = encodeArchive(smallArchive(), { codec: 'none' });
      const header = readHeader(encoded);
      const text = new TextDecoder().decode(encoded.subarray(manifestAt, manifestAt + header.manifestRawBytes));
      expect(text).toContain(from);
      const changed = new TextEncoder().encode(text.replace(from, to));
      const out = new Uint8Array(encoded.length - header.manifestRawBytes + changed.length);
      out.set(encoded.subarray(0, manifestAt));
      out.set(changed, manifestAt);
      out.set(encoded.subarray(manifestAt + header.manifestRawBytes), manifestAt + changed.length);
      writeHeader(out, { ...header, manifestRawBytes: changed.length, manifestEncodedBytes: changed.length });
      return out;
    };
    const cases: Array<[string, string, RegExp]> = [
      ['"format":1', '"format":2', /format 2 differs/],
      ['"kind":"state"', '"kind":"stat"', /kind "stat" is unknown/],
      ['"offset":0', '"offset":1', /offset is 1, expected 0/],
      ['"tenantId":"acme"', '"tenantId":7', /tenantId is not a string/],
      ['{"format"', '["format"', /not UTF-8 JSON/],
    ];
    for (const [from, to, message] of cases) {
      const error = thrown(() => readManifest(spoilManifest(from, to)));
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

describe('versions and limits', () => {
  test('an unknown format version is refused', () => {
    const encoded = encodeArchive(smallArchive());
    encoded[9] = 2;
    const error = thrown(() => decodeArchive(encoded));
    expect(error).toBeInstanceOf(UnsupportedArchiveVersionError);
    expect(error).toMatchObject({ code: 'ARCHIVE_VERSION_UNSUPPORTED', version: 2 });
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
