import { createHash } from 'node:crypto';
import { ArchiveTooLargeError } from '../errors.js';
import type { ArchiveCodec, EncodeArchiveOptions, ExecutionArchive, SealedArchive } from './archive-types.js';
import { compress, compressAsync, resolveLevel } from './codecs.js';
import { ARCHIVE_FORMAT_VERSION, HEADER_SIZE, writeHeader } from './header.js';
import { MAX_DATA_BYTES_CEILING, MAX_MANIFEST_BYTES } from './limits.js';
import type { WrittenManifest } from './manifest.js';
import { validateArchive } from './validate-archive.js';

/** An archive checked and laid out, ready to compress. */
interface Prepared {
  codec: ArchiveCodec;
  level: number;
  entryCount: number;
  manifestRaw: Uint8Array;
  dataRaw: Uint8Array;
}

function prepare(archive: ExecutionArchive, options: EncodeArchiveOptions): Prepared {
  const codec = options.codec ?? 'brotli';
  const level = resolveLevel(codec, options.level);
  validateArchive(archive);

  let offset = 0;
  const entries = archive.entries.map((entry) => {
    offset += entry.bytes.length;
    return {
      kind: entry.kind,
      name: entry.name,
      ...(entry.fields === undefined ? {} : { fields: { ...entry.fields } }),
      length: entry.bytes.length,
    };
  });
  if (offset > MAX_DATA_BYTES_CEILING) throw new ArchiveTooLargeError('MAX_DATA_BYTES', offset, MAX_DATA_BYTES_CEILING);

  const dataRaw = Buffer.allocUnsafe(offset);
  let at = 0;
  for (const entry of archive.entries) {
    dataRaw.set(entry.bytes, at);
    at += entry.bytes.length;
  }

  const manifest: WrittenManifest = {
    format: ARCHIVE_FORMAT_VERSION,
    tenantId: archive.tenantId,
    executionId: archive.executionId,
    workflowId: archive.workflowId,
    status: archive.status,
    createdAtMs: archive.createdAtMs,
    ...(archive.finishedAtMs === undefined ? {} : { finishedAtMs: archive.finishedAtMs }),
    archivedAtMs: archive.archivedAtMs,
    dataBytes: offset,
    dataSha256: createHash('sha256').update(dataRaw).digest('hex'),
    entries,
  };
  const manifestRaw = new TextEncoder().encode(JSON.stringify(manifest));
  if (manifestRaw.length > MAX_MANIFEST_BYTES) throw new ArchiveTooLargeError('MAX_MANIFEST_BYTES', manifestRaw.length, MAX_MANIFEST_BYTES);
  return { codec, level, entryCount: entries.length, manifestRaw, dataRaw };
}

function assemble(prepared: Prepared, manifestEncoded: Uint8Array, dataEncoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + manifestEncoded.length + dataEncoded.length);
  out.set(manifestEncoded, HEADER_SIZE);
  out.set(dataEncoded, HEADER_SIZE + manifestEncoded.length);
  writeHeader(out, {
    version: ARCHIVE_FORMAT_VERSION,
    codec: prepared.codec,
    entryCount: prepared.entryCount,
    manifestRawBytes: prepared.manifestRaw.length,
    manifestEncodedBytes: manifestEncoded.length,
    dataRawBytes: prepared.dataRaw.length,
    dataEncodedBytes: dataEncoded.length,
  });
  return out;
}

/**
 * Encodes one execution's archive into a single self-describing byte string: a fixed
 * header (magic, format version, codec, sizes, sha256 over everything), then the JSON
 * manifest and the entries' raw bytes, each section compressed with the codec. The
 * manifest holds the sha256 of the raw data section, so `decodeArchive` returns
 * byte-equal entries or throws. Writes format version 2. The input is checked first; on any error nothing is returned. Compresses on
 * the calling thread; see `encodeArchiveAsync` to keep the event loop free.
 *
 * @throws InvalidArchiveError for a malformed archive or options
 * @throws ArchiveTooLargeError over `MAX_ARCHIVE_ENTRIES`, `MAX_MANIFEST_BYTES` or 4 GiB of data
 */
export function encodeArchive(archive: ExecutionArchive, options: EncodeArchiveOptions = {}): Uint8Array {
  const prepared = prepare(archive, options);
  const { codec, level } = prepared;
  return assemble(prepared, compress(codec, level, prepared.manifestRaw), compress(codec, level, prepared.dataRaw));
}

/**
 * `encodeArchive` with compression on libuv's thread pool: the same bytes, but the event
 * loop stays free and several archives compress in parallel on several cores (the way
 * to archive faster than one core compresses; see bench/archive.bench.ts).
 */
export function encodeArchiveAsync(archive: ExecutionArchive, options: EncodeArchiveOptions = {}): Promise<Uint8Array> {
  return sealArchiveAsync(archive, options).then((sealed) => sealed.bytes);
}

/**
 * `encodeArchiveAsync`, keeping the raw (uncompressed) manifest and data sections: the
 * same bytes, plus what `verifySealedArchive` needs to check a stored copy without
 * decoding it.
 *
 * @throws InvalidArchiveError, ArchiveTooLargeError as `encodeArchive`
 */
export async function sealArchiveAsync(archive: ExecutionArchive, options: EncodeArchiveOptions = {}): Promise<SealedArchive> {
  const prepared = prepare(archive, options);
  const { codec, level, manifestRaw, dataRaw } = prepared;
  const [manifestEncoded, dataEncoded] = await Promise.all([compressAsync(codec, level, manifestRaw), compressAsync(codec, level, dataRaw)]);
  return { bytes: assemble(prepared, manifestEncoded, dataEncoded), codec, manifestRaw, dataRaw };
}
