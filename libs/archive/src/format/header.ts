import { createHash } from 'node:crypto';
import { ArchiveCorruptedError, UnsupportedArchiveVersionError } from '../errors.js';
import type { ArchiveCodec } from './archive-types.js';

/** Magic bytes that open every archive: ASCII `FLUNQARC`. */
export const ARCHIVE_MAGIC = new Uint8Array([0x46, 0x4c, 0x55, 0x4e, 0x51, 0x41, 0x52, 0x43]);

/** The format version this code writes. */
export const ARCHIVE_FORMAT_VERSION = 2;

/** The format versions this code reads: 1 (per-entry sha256) and 2 (one sha256 of the data section). */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];

/** Size of the fixed header in bytes. */
export const HEADER_SIZE = 72;

/** Offset of the sha256 in the header; the digest covers bytes before it and every byte after the header. */
const DIGEST_OFFSET = 40;

const CODEC_IDS: Record<ArchiveCodec, number> = { none: 0, brotli: 1, gzip: 2 };
const CODECS_BY_ID: readonly ArchiveCodec[] = ['none', 'brotli', 'gzip'];

/** The fixed header's fields (see README: format layout). */
export interface ArchiveHeader {
  version: number;
  codec: ArchiveCodec;
  entryCount: number;
  manifestRawBytes: number;
  manifestEncodedBytes: number;
  dataRawBytes: number;
  dataEncodedBytes: number;
}

/** Writes the header into `target[0..HEADER_SIZE)` and the sha256 over header and body. */
export function writeHeader(target: Uint8Array, header: ArchiveHeader): void {
  const view = new DataView(target.buffer, target.byteOffset, HEADER_SIZE);
  target.set(ARCHIVE_MAGIC, 0);
  view.setUint16(8, header.version);
  view.setUint8(10, CODEC_IDS[header.codec]);
  view.setUint8(11, 0);
  view.setUint32(12, header.entryCount);
  view.setUint32(16, header.manifestRawBytes);
  view.setUint32(20, header.manifestEncodedBytes);
  view.setBigUint64(24, BigInt(header.dataRawBytes));
  view.setBigUint64(32, BigInt(header.dataEncodedBytes));
  target.set(archiveDigest(target), DIGEST_OFFSET);
}

/** sha256 of an archive's bytes, leaving out the digest field itself. */
function archiveDigest(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes.subarray(0, DIGEST_OFFSET)).update(bytes.subarray(HEADER_SIZE)).digest();
}

function corrupt(detail: string): ArchiveCorruptedError {
  return new ArchiveCorruptedError('header', detail);
}

/**
 * Reads and checks the header: magic, version, codec, reserved byte, and that the sizes
 * account for every byte (so truncation and trailing bytes are caught). Does not check
 * the digest; see `verifyDigest`.
 */
export function readHeader(bytes: Uint8Array): ArchiveHeader {
  if (bytes.length < HEADER_SIZE) throw corrupt(`truncated: ${bytes.length} bytes, shorter than the ${HEADER_SIZE}-byte header`);
  for (let i = 0; i < ARCHIVE_MAGIC.length; i += 1) {
    if (bytes[i] !== ARCHIVE_MAGIC[i]) throw corrupt('bad magic: not a flunq archive');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const version = view.getUint16(8);
  if (!READABLE_FORMAT_VERSIONS.includes(version)) throw new UnsupportedArchiveVersionError(version, READABLE_FORMAT_VERSIONS);
  const codec = CODECS_BY_ID[view.getUint8(10)];
  if (codec === undefined) throw corrupt(`unknown codec id ${view.getUint8(10)}`);
  if (view.getUint8(11) !== 0) throw corrupt('reserved byte is not zero');
  const dataRaw = view.getBigUint64(24);
  const dataEncoded = view.getBigUint64(32);
  if (dataRaw > BigInt(Number.MAX_SAFE_INTEGER) || dataEncoded > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('data size out of range');
  const header: ArchiveHeader = {
    version,
    codec,
    entryCount: view.getUint32(12),
    manifestRawBytes: view.getUint32(16),
    manifestEncodedBytes: view.getUint32(20),
    dataRawBytes: Number(dataRaw),
    dataEncodedBytes: Number(dataEncoded),
  };
  const expected = HEADER_SIZE + header.manifestEncodedBytes + header.dataEncodedBytes;
  if (bytes.length < expected) throw corrupt(`truncated: ${bytes.length} bytes, the header announces ${expected}`);
  if (bytes.length > expected) throw corrupt(`${bytes.length - expected} unexpected bytes after the body`);
  return header;
}

/** Checks the sha256 over header fields and body; throws `ArchiveCorruptedError('body-checksum')`. */
export function verifyDigest(bytes: Uint8Array): void {
  const actual = archiveDigest(bytes);
  const stored = bytes.subarray(DIGEST_OFFSET, HEADER_SIZE);
  if (Buffer.compare(actual, stored) !== 0) {
    throw new ArchiveCorruptedError('body-checksum', 'sha256 of the archive does not match the header');
  }
}
