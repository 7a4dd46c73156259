import { ArchiveCorruptedError, InvalidArchiveError, type ArchivePart } from '../errors.js';
import type { SealedArchive } from './archive-types.js';
import { decompressAsync } from './codecs.js';
import { HEADER_SIZE, readHeader } from './header.js';

async function checkSection(sealed: SealedArchive, encoded: Uint8Array, raw: Uint8Array, part: ArchivePart): Promise<void> {
  const decompressed = await decompressAsync(sealed.codec, encoded, raw.length, part);
  if (Buffer.compare(decompressed, raw) !== 0) throw new ArchiveCorruptedError(part, 'does not decompress to the bytes it was sealed from');
}

/**
 * Checks that `stored` (bytes read back from a backend) is exactly the sealed archive and
 * that its sections decompress (on libuv's thread pool) to exactly the raw sections it was
 * made from: after this, `decodeArchive(stored)` returns the archived entries byte for
 * byte. No manifest parse, no per-entry work: a byte comparison and two decompressions.
 *
 * @throws ArchiveCorruptedError with part `body-checksum` when the bytes differ from what
 *   was sealed (altered, truncated, another archive), `manifest` / `data` when a section
 *   does not decompress to its raw bytes
 */
export async function verifySealedArchive(stored: Uint8Array, sealed: SealedArchive): Promise<void> {
  if (!(stored instanceof Uint8Array)) throw new InvalidArchiveError('stored', 'must be a Uint8Array');
  if (stored.length !== sealed.bytes.length || Buffer.compare(stored, sealed.bytes) !== 0) {
    throw new ArchiveCorruptedError('body-checksum', `the ${stored.length} stored bytes differ from the ${sealed.bytes.length} sealed ones`);
  }
  const manifestEnd = HEADER_SIZE + readHeader(stored).manifestEncodedBytes;
  await Promise.all([
    checkSection(sealed, stored.subarray(HEADER_SIZE, manifestEnd), sealed.manifestRaw, 'manifest'),
    checkSection(sealed, stored.subarray(manifestEnd), sealed.dataRaw, 'data'),
  ]);
}
