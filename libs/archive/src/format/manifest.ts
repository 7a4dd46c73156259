import { ArchiveCorruptedError } from '../errors.js';
import { ARCHIVE_ENTRY_KINDS, type ArchiveEntryKind, type ArchiveManifest, type ArchiveManifestEntry } from './archive-types.js';
import type { ArchiveHeader } from './header.js';

/** The manifest as stored: `ArchiveManifest` without `codec`, which lives in the header. */
export type StoredManifest = Omit<ArchiveManifest, 'codec'>;

/** The manifest as format version 2 writes it: entries without `offset` and `sha256`. */
export type WrittenManifest = Omit<StoredManifest, 'entries'> & { entries: Array<Omit<ArchiveManifestEntry, 'offset' | 'sha256'>> };

const SHA256_HEX = /^[0-9a-f]{64}$/;

function fail(detail: string): never {
  throw new ArchiveCorruptedError('manifest', detail);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(source: Record<string, unknown>, key: string, at: string): string {
  const value = source[key];
  if (typeof value !== 'string') fail(`${at}${key} is not a string`);
  return value;
}

function count(source: Record<string, unknown>, key: string, at: string): number {
  const value = source[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${at}${key} is not a non-negative integer`);
  return value;
}

function readFields(value: unknown, at: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail(`${at}fields is not an object`);
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field !== 'string') fail(`${at}fields.${key} is not a string`);
    Object.defineProperty(fields, key, { value: field, enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

function sha256Hex(source: Record<string, unknown>, key: string, at: string): string {
  const value = str(source, key, at);
  if (!SHA256_HEX.test(value)) fail(`${at}${key} is not 64 lowercase hex digits`);
  return value;
}

/**
 * One entry, placed at `offset` (the sum of the lengths before it): version 1 stores that
 * offset, checked here, and a sha256; version 2 stores neither.
 */
function readEntry(value: unknown, index: number, offset: number, version: number): ArchiveManifestEntry {
  const at = `entries[${index}].`;
  if (!isRecord(value)) fail(`entries[${index}] is not an object`);
  const kind = str(value, 'kind', at);
  if (!(ARCHIVE_ENTRY_KINDS as readonly string[]).includes(kind)) fail(`${at}kind ${JSON.stringify(kind)} is unknown`);
  const entry: ArchiveManifestEntry = { kind: kind as ArchiveEntryKind, name: str(value, 'name', at), offset, length: count(value, 'length', at) };
  if (version === 1) {
    const stored = count(value, 'offset', at);
    if (stored !== offset) fail(`${at}offset is ${stored}, expected ${offset}`);
    entry.sha256 = sha256Hex(value, 'sha256', at);
  }
  const fields = readFields(value['fields'], at);
  if (fields !== undefined) entry.fields = fields;
  return entry;
}

/**
 * Parses and checks the manifest JSON against the header: every field typed, entries
 * laid end to end from offset 0 (offsets computed for version 2, checked for version 1),
 * their count and total size equal to the header's, and for version 2 a `dataSha256`.
 */
export function parseManifest(raw: Uint8Array, header: ArchiveHeader): StoredManifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (cause) {
    throw new ArchiveCorruptedError('manifest', `not UTF-8 JSON: ${(cause as Error).message}`, undefined, { cause });
  }
  if (!isRecord(value)) fail('is not an object');
  if (value['format'] !== header.version) fail(`format ${String(value['format'])} differs from the header's ${header.version}`);
  const entriesValue = value['entries'];
  if (!Array.isArray(entriesValue)) fail('entries is not an array');
  if (entriesValue.length !== header.entryCount) fail(`has ${entriesValue.length} entries, the header announces ${header.entryCount}`);
  const entries: ArchiveManifestEntry[] = [];
  let offset = 0;
  for (let i = 0; i < entriesValue.length; i += 1) {
    const entry = readEntry(entriesValue[i], i, offset, header.version);
    entries.push(entry);
    offset += entry.length;
  }
  const manifest: StoredManifest = {
    format: header.version,
    tenantId: str(value, 'tenantId', ''),
    executionId: str(value, 'executionId', ''),
    workflowId: str(value, 'workflowId', ''),
    status: str(value, 'status', ''),
    createdAtMs: count(value, 'createdAtMs', ''),
    archivedAtMs: count(value, 'archivedAtMs', ''),
    dataBytes: count(value, 'dataBytes', ''),
    entries,
  };
  if (value['finishedAtMs'] !== undefined) manifest.finishedAtMs = count(value, 'finishedAtMs', '');
  if (header.version >= 2) manifest.dataSha256 = sha256Hex(value, 'dataSha256', '');
  if (manifest.dataBytes !== offset || offset !== header.dataRawBytes) {
    fail(`entries total ${offset} bytes, dataBytes says ${manifest.dataBytes}, the header ${header.dataRawBytes}`);
  }
  return manifest;
}
