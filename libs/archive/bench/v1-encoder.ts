/**
 * Format version 1's encoder, frozen as it was before version 2 (per-entry offset and
 * sha256 hex in the manifest), so the batch bench can put v1 and v2 side by side. Bench
 * only: the library writes version 2 and reads both.
 */
import { createHash } from 'node:crypto';
import type { EncodeArchiveOptions, ExecutionArchive } from '../src/format/archive-types.js';
import { compressAsync, resolveLevel } from '../src/format/codecs.js';
import { HEADER_SIZE, writeHeader } from '../src/format/header.js';
import { validateArchive } from '../src/format/validate-archive.js';

/** `encodeArchiveAsync` as format version 1 wrote it. */
export async function encodeArchiveV1Async(archive: ExecutionArchive, options: EncodeArchiveOptions = {}): Promise<Uint8Array> {
  const codec = options.codec ?? 'brotli';
  const level = resolveLevel(codec, options.level);
  validateArchive(archive);
  let offset = 0;
  const entries = archive.entries.map((entry) => {
    const described = {
      kind: entry.kind,
      name: entry.name,
      ...(entry.fields === undefined ? {} : { fields: { ...entry.fields } }),
      offset,
      length: entry.bytes.length,
      sha256: createHash('sha256').update(entry.bytes).digest('hex'),
    };
    offset += entry.bytes.length;
    return described;
  });
  const { tenantId, executionId, workflowId, status, createdAtMs, finishedAtMs, archivedAtMs } = archive;
  const identity = { tenantId, executionId, workflowId, status, createdAtMs, ...(finishedAtMs === undefined ? {} : { finishedAtMs }), archivedAtMs };
  const manifest = { format: 1, ...identity, dataBytes: offset, entries };
  const manifestRaw = new TextEncoder().encode(JSON.stringify(manifest));
  const dataRaw = Buffer.allocUnsafe(offset);
  let at = 0;
  for (const entry of archive.entries) {
    dataRaw.set(entry.bytes, at);
    at += entry.bytes.length;
  }
  const [manifestEncoded, dataEncoded] = await Promise.all([compressAsync(codec, level, manifestRaw), compressAsync(codec, level, dataRaw)]);
  const out = new Uint8Array(HEADER_SIZE + manifestEncoded.length + dataEncoded.length);
  out.set(manifestEncoded, HEADER_SIZE);
  out.set(dataEncoded, HEADER_SIZE + manifestEncoded.length);
  writeHeader(out, {
    version: 1,
    codec,
    entryCount: entries.length,
    manifestRawBytes: manifestRaw.length,
    manifestEncodedBytes: manifestEncoded.length,
    dataRawBytes: offset,
    dataEncodedBytes: dataEncoded.length,
  });
  return out;
}
