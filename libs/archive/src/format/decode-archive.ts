import { createHash } from 'node:crypto';
import { ArchiveCorruptedError, ArchiveTooLargeError, InvalidArchiveError } from '../errors.js';
import type { ArchiveEntry, ArchiveManifest, DecodeArchiveOptions, ExecutionArchive } from './archive-types.js';
import { decompress, decompressAsync } from './codecs.js';
import { HEADER_SIZE, readHeader, verifyDigest, type ArchiveHeader } from './header.js';
import { DEFAULT_MAX_DATA_BYTES, MAX_ARCHIVE_ENTRIES, MAX_DATA_BYTES_CEILING, MAX_MANIFEST_BYTES } from './limits.js';
import { parseManifest, type StoredManifest } from './manifest.js';

interface Opened {
  header: ArchiveHeader;
  manifest: StoredManifest;
}

function maxDataBytes(options: DecodeArchiveOptions): number {
  const limit = options.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArchiveError('options.maxDataBytes', 'must be a non-negative integer');
  return Math.min(limit, MAX_DATA_BYTES_CEILING);
}

/** Header, limits, whole-archive sha256 and manifest: everything short of the entry data. */
function open(bytes: Uint8Array, options: DecodeArchiveOptions): Opened {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArchiveError('bytes', 'must be a Uint8Array');
  const header = readHeader(bytes);
  if (header.manifestRawBytes > MAX_MANIFEST_BYTES) {
    throw new ArchiveTooLargeError('MAX_MANIFEST_BYTES', header.manifestRawBytes, MAX_MANIFEST_BYTES);
  }
  if (header.entryCount > MAX_ARCHIVE_ENTRIES) throw new ArchiveTooLargeError('MAX_ARCHIVE_ENTRIES', header.entryCount, MAX_ARCHIVE_ENTRIES);
  const dataLimit = maxDataBytes(options);
  if (header.dataRawBytes > dataLimit) throw new ArchiveTooLargeError('maxDataBytes', header.dataRawBytes, dataLimit);
  verifyDigest(bytes);
  const manifestEncoded = bytes.subarray(HEADER_SIZE, HEADER_SIZE + header.manifestEncodedBytes);
  const manifestRaw = decompress(header.codec, manifestEncoded, header.manifestRawBytes, 'manifest');
  return { header, manifest: parseManifest(manifestRaw, header) };
}

function withCodec(opened: Opened): ArchiveManifest {
  return { ...opened.manifest, codec: opened.header.codec };
}

/**
 * Reads only an archive's manifest (ids, times, and each entry's kind, name, fields,
 * offset and size; the data's sha256 for version 2, each entry's for version 1) without
 * decompressing the entry data. The header and the sha256 over the
 * whole archive are still checked, so a damaged archive is refused here too.
 *
 * @throws ArchiveCorruptedError, UnsupportedArchiveVersionError, ArchiveTooLargeError
 */
export function readManifest(bytes: Uint8Array, options: DecodeArchiveOptions = {}): ArchiveManifest {
  return withCodec(open(bytes, options));
}

/**
 * Decodes an archive made by `encodeArchive` (format version 2, or 1 as written before),
 * checking the header, the sha256 over the whole archive, the manifest, and the sha256
 * of the raw data (version 2) or of every entry (version 1), so what it returns is
 * byte-equal to what was encoded. The returned entries' bytes are views into one fresh
 * buffer (not into `bytes`).
 *
 * @throws ArchiveCorruptedError naming the part that failed (`header`, `body-checksum`,
 *   `manifest`, `data`, or `entry` with `<kind>/<name>`)
 * @throws UnsupportedArchiveVersionError for a format version this code does not read
 * @throws ArchiveTooLargeError when a size in the header is over a limit
 */
export function decodeArchive(bytes: Uint8Array, options: DecodeArchiveOptions = {}): ExecutionArchive {
  const opened = open(bytes, options);
  const dataEncoded = bytes.subarray(HEADER_SIZE + opened.header.manifestEncodedBytes);
  return finish(opened, dataEncoded, decompress(opened.header.codec, dataEncoded, opened.header.dataRawBytes, 'data'));
}

/**
 * `decodeArchive` with decompression on libuv's thread pool: the same checks and result,
 * but the event loop stays free while the data inflates.
 */
export async function decodeArchiveAsync(bytes: Uint8Array, options: DecodeArchiveOptions = {}): Promise<ExecutionArchive> {
  const opened = open(bytes, options);
  const dataEncoded = bytes.subarray(HEADER_SIZE + opened.header.manifestEncodedBytes);
  return finish(opened, dataEncoded, await decompressAsync(opened.header.codec, dataEncoded, opened.header.dataRawBytes, 'data'));
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Checks the data against the manifest (version 2: one sha256 of the whole data section;
 * version 1: every entry's sha256) and builds the result.
 */
function finish({ manifest }: Opened, dataEncoded: Uint8Array, decompressed: Uint8Array): ExecutionArchive {
  if (manifest.dataSha256 !== undefined && sha256Hex(decompressed) !== manifest.dataSha256) {
    throw new ArchiveCorruptedError('data', 'sha256 of the data does not match the manifest');
  }
  // The `none` codec hands back a view of the input: copy so results never alias it.
  const data = decompressed === dataEncoded ? dataEncoded.slice() : decompressed;
  const entries = manifest.entries.map((described): ArchiveEntry => {
    const entryBytes = new Uint8Array(data.buffer, data.byteOffset + described.offset, described.length);
    if (described.sha256 !== undefined && sha256Hex(entryBytes) !== described.sha256) {
      throw new ArchiveCorruptedError('entry', 'sha256 of the bytes does not match the manifest', `${described.kind}/${described.name}`);
    }
    return {
      kind: described.kind,
      name: described.name,
      bytes: entryBytes,
      ...(described.fields === undefined ? {} : { fields: described.fields }),
    };
  });
  return {
    tenantId: manifest.tenantId,
    executionId: manifest.executionId,
    workflowId: manifest.workflowId,
    status: manifest.status,
    createdAtMs: manifest.createdAtMs,
    ...(manifest.finishedAtMs === undefined ? {} : { finishedAtMs: manifest.finishedAtMs }),
    archivedAtMs: manifest.archivedAtMs,
    entries,
  };
}
