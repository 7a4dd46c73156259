import { ArchiveTooLargeError, InvalidArchiveError } from '../errors.js';
import { ARCHIVE_ENTRY_KINDS, type ArchiveEntry, type ExecutionArchive } from './archive-types.js';
import { MAX_ARCHIVE_ENTRIES, MAX_NAME_LENGTH } from './limits.js';

function checkString(value: unknown, path: string, nonEmpty: boolean): void {
  if (typeof value !== 'string') throw new InvalidArchiveError(path, 'must be a string');
  if (nonEmpty && value.length === 0) throw new InvalidArchiveError(path, 'must not be empty');
  if (value.length > MAX_NAME_LENGTH) throw new InvalidArchiveError(path, `is longer than ${MAX_NAME_LENGTH} characters`);
}

function checkTime(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArchiveError(path, 'must be a non-negative integer (epoch milliseconds)');
  }
}

function checkEntry(entry: ArchiveEntry, index: number): void {
  const at = `entries[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw new InvalidArchiveError(at, 'must be an object');
  if (!ARCHIVE_ENTRY_KINDS.includes(entry.kind)) {
    throw new InvalidArchiveError(`${at}.kind`, `must be one of ${ARCHIVE_ENTRY_KINDS.join(', ')}`);
  }
  checkString(entry.name, `${at}.name`, false);
  if (!(entry.bytes instanceof Uint8Array)) throw new InvalidArchiveError(`${at}.bytes`, 'must be a Uint8Array');
  if (entry.fields === undefined) return;
  if (typeof entry.fields !== 'object' || entry.fields === null || Array.isArray(entry.fields)) {
    throw new InvalidArchiveError(`${at}.fields`, 'must be an object of strings');
  }
  for (const [key, value] of Object.entries(entry.fields)) {
    if (typeof value !== 'string') throw new InvalidArchiveError(`${at}.fields.${key}`, 'must be a string');
  }
}

/**
 * Checks an archive before anything is encoded: ids and status are strings (tenant and
 * execution ids not empty), times are epoch milliseconds, entries have a known kind, a
 * string name, bytes and string fields, and there are at most `MAX_ARCHIVE_ENTRIES`.
 */
export function validateArchive(archive: ExecutionArchive): void {
  if (typeof archive !== 'object' || archive === null) throw new InvalidArchiveError('archive', 'must be an object');
  checkString(archive.tenantId, 'tenantId', true);
  checkString(archive.executionId, 'executionId', true);
  checkString(archive.workflowId, 'workflowId', false);
  checkString(archive.status, 'status', false);
  checkTime(archive.createdAtMs, 'createdAtMs');
  checkTime(archive.archivedAtMs, 'archivedAtMs');
  if (archive.finishedAtMs !== undefined) checkTime(archive.finishedAtMs, 'finishedAtMs');
  if (!Array.isArray(archive.entries)) throw new InvalidArchiveError('entries', 'must be an array');
  if (archive.entries.length > MAX_ARCHIVE_ENTRIES) {
    throw new ArchiveTooLargeError('MAX_ARCHIVE_ENTRIES', archive.entries.length, MAX_ARCHIVE_ENTRIES);
  }
  archive.entries.forEach(checkEntry);
}
