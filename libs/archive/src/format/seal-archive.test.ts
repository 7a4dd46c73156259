import { describe, expect, test } from 'vitest';
import { ArchiveCorruptedError } from '../errors.js';
import { randomExecutionArchive, sampleExecutionArchive, seededRandom } from '../testing/sample-archives.js';
import type { ArchiveCodec, SealedArchive } from './archive-types.js';
import { decodeArchive } from './decode-archive.js';
import { encodeArchive, encodeArchiveAsync, sealArchiveAsync } from './encode-archive.js';
import { verifySealedArchive } from './verify-sealed-archive.js';

const CODECS: ArchiveCodec[] = ['brotli', 'gzip', 'none'];

async function rejection(run: Promise<unknown>): Promise<ArchiveCorruptedError> {
  const error = await run.then(() => undefined, (cause: unknown) => cause);
  expect(error).toBeInstanceOf(ArchiveCorruptedError);
  return error as ArchiveCorruptedError;
}

describe('sealArchiveAsync / verifySealedArchive', () => {
  test.each(CODECS)('sealing gives the encoded bytes, and a faithful copy verifies (%s)', async (codec) => {
    const random = seededRandom(5);
    for (let run = 0; run < 10; run += 1) {
      const archive = randomExecutionArchive(random, 30, 20_000);
      const sealed = await sealArchiveAsync(archive, { codec });
      expect(Buffer.compare(sealed.bytes, await encodeArchiveAsync(archive, { codec }))).toBe(0);
      expect(Buffer.compare(sealed.bytes, encodeArchive(archive, { codec }))).toBe(0);
      await expect(verifySealedArchive(sealed.bytes.slice(), sealed)).resolves.toBeUndefined();
      await expect(verifySealedArchive(sealed.bytes, sealed)).resolves.toBeUndefined();
      expect(decodeArchive(sealed.bytes).entries).toHaveLength(archive.entries.length);
    }
  });

  test('a flipped byte anywhere is body-checksum', async () => {
    const sealed = await sealArchiveAsync(sampleExecutionArchive());
    for (const position of [0, 9, 40, 71, 72, sealed.bytes.length - 1]) {
      const copy = sealed.bytes.slice();
      copy[position] = (copy[position] ?? 0) ^ 0x01;
      expect((await rejection(verifySealedArchive(copy, sealed))).part, `at ${position}`).toBe('body-checksum');
    }
  });

  test('a truncated or longer copy is body-checksum', async () => {
    const sealed = await sealArchiveAsync(sampleExecutionArchive());
    for (const copy of [sealed.bytes.subarray(0, sealed.bytes.length - 1), sealed.bytes.subarray(0, 10), new Uint8Array(0), new Uint8Array([...sealed.bytes, 0])]) {
      expect((await rejection(verifySealedArchive(copy, sealed))).part).toBe('body-checksum');
    }
  });

  test('a copy of another archive is body-checksum', async () => {
    const sealed = await sealArchiveAsync(sampleExecutionArchive(), { codec: 'none' });
    const other = await encodeArchiveAsync({ ...sampleExecutionArchive(), executionId: 'exec-other-000000' }, { codec: 'none' });
    expect(other.length).toBe(sealed.bytes.length);
    expect((await rejection(verifySealedArchive(other, sealed))).part).toBe('body-checksum');
  });

  test.each(CODECS)('sections that do not decompress to the sealed raw bytes are manifest / data (%s)', async (codec) => {
    const sealed = await sealArchiveAsync(sampleExecutionArchive(), { codec });
    const flip = (raw: Uint8Array): Uint8Array => raw.map((byte, i) => (i === 3 ? byte ^ 1 : byte));
    const badManifest: SealedArchive = { ...sealed, manifestRaw: flip(sealed.manifestRaw) };
    const badData: SealedArchive = { ...sealed, dataRaw: flip(sealed.dataRaw) };
    const shortData: SealedArchive = { ...sealed, dataRaw: sealed.dataRaw.subarray(1) };
    expect((await rejection(verifySealedArchive(sealed.bytes, badManifest))).part).toBe('manifest');
    expect((await rejection(verifySealedArchive(sealed.bytes, badData))).part).toBe('data');
    expect((await rejection(verifySealedArchive(sealed.bytes, shortData))).part).toBe('data');
  });

  test('invalid input is refused as by encodeArchiveAsync', async () => {
    await expect(sealArchiveAsync({ ...sampleExecutionArchive(), tenantId: '' })).rejects.toMatchObject({ code: 'INVALID_ARCHIVE' });
  });
});
