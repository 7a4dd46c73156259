import { InvalidArchiveKeyError } from '../errors.js';

/** File extension of archive objects. */
export const ARCHIVE_KEY_SUFFIX = '.flunqarc';

/** Longest tenant or execution id accepted in a key, in characters. */
export const MAX_KEY_ID_LENGTH = 200;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks that an id can be one path segment of a key on every backend: not empty, at
 * most 200 characters, no `/` or `\`, no `..`, not starting with `.` (hidden and
 * temporary files), no control characters.
 *
 * @throws InvalidArchiveKeyError naming the rule broken
 */
export function checkKeyId(id: string, label: string): void {
  const reject = (reason: string): never => {
    throw new InvalidArchiveKeyError(String(id), `${label} ${reason}`);
  };
  if (typeof id !== 'string' || id.length === 0) reject('must be a non-empty string');
  if (id.length > MAX_KEY_ID_LENGTH) reject(`is longer than ${MAX_KEY_ID_LENGTH} characters`);
  if (id.includes('/') || id.includes('\\')) reject('must not contain / or \\');
  if (id.includes('..')) reject('must not contain ..');
  if (id.startsWith('.')) reject('must not start with .');
  if (CONTROL.test(id)) reject('must not contain control characters');
}

/**
 * The object key of one execution's archive:
 * `<tenantId>/<yyyy>/<mm>/<dd>/<executionId>.flunqarc`, dated by the execution's creation
 * (UTC), so a tenant's archives list by day and a key never changes once written.
 *
 * @throws InvalidArchiveKeyError for an unsafe id or a creation time outside years 0..9999
 */
export function archiveKey(tenantId: string, executionId: string, createdAtMs: number): string {
  checkKeyId(tenantId, 'tenant id');
  checkKeyId(executionId, 'execution id');
  const date = new Date(createdAtMs);
  if (!Number.isFinite(createdAtMs) || Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999 || date.getUTCFullYear() < 0) {
    throw new InvalidArchiveKeyError(String(createdAtMs), 'creation time must be epoch milliseconds within years 0..9999');
  }
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  const day = `${pad(date.getUTCFullYear(), 4)}/${pad(date.getUTCMonth() + 1, 2)}/${pad(date.getUTCDate(), 2)}`;
  return `${tenantId}/${day}/${executionId}${ARCHIVE_KEY_SUFFIX}`;
}

/** The key prefix under which all of a tenant's archives sit (`<tenantId>/`). */
export function archiveTenantPrefix(tenantId: string): string {
  checkKeyId(tenantId, 'tenant id');
  return `${tenantId}/`;
}

/** What an archive key says: whose archive it is and the UTC day it was filed under. */
export interface ParsedArchiveKey {
  tenantId: string;
  executionId: string;
  /** `yyyy-mm-dd`. */
  day: string;
}

const KEY_SHAPE = /^([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\.flunqarc$/;

/**
 * Reads a key made by `archiveKey`; `undefined` for any other key (a listing may hold
 * foreign objects).
 */
export function parseArchiveKey(key: string): ParsedArchiveKey | undefined {
  const match = KEY_SHAPE.exec(key);
  if (match === null) return undefined;
  const [, tenantId = '', yyyy, mm, dd, executionId = ''] = match;
  try {
    checkKeyId(tenantId, 'tenant id');
    checkKeyId(executionId, 'execution id');
  } catch {
    return undefined;
  }
  return { tenantId, executionId, day: `${yyyy}-${mm}-${dd}` };
}
