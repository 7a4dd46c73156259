import { InvalidArchiveError, InvalidArchiveKeyError } from '../errors.js';

/** Longest key accepted, in UTF-8 bytes (S3's limit). */
export const MAX_BACKEND_KEY_BYTES = 1024;

/** Largest page `list` returns (S3's limit). */
export const MAX_LIST_LIMIT = 1000;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Checks `value` as a key (`partialLast` false) or as a prefix, whose last segment may be partial or empty. */
function checkPath(value: string, what: string, partialLast: boolean): void {
  const reject = (reason: string): never => {
    throw new InvalidArchiveKeyError(String(value), `${what} ${reason}`);
  };
  if (typeof value !== 'string') reject('must be a string');
  if (Buffer.byteLength(value, 'utf8') > MAX_BACKEND_KEY_BYTES) reject(`is longer than ${MAX_BACKEND_KEY_BYTES} bytes`);
  if (value.startsWith('/')) reject('must be relative (no leading /)');
  if (value.includes('\\')) reject('must not contain \\');
  if (CONTROL.test(value)) reject('must not contain NUL or control characters');
  // A lone surrogate has no UTF-8 form: two such keys would name the same object.
  if (LONE_SURROGATE.test(value)) reject('must be well-formed Unicode');
  const segments = value.split('/');
  const last = segments.length - 1;
  segments.forEach((segment, i) => {
    if (segment === '' && !(partialLast && i === last)) reject('must not have empty segments (// or a trailing /)');
    if (segment.startsWith('.')) reject(`must not have a segment starting with . (${JSON.stringify(segment)})`);
  });
}

/**
 * Checks an object key before any I/O, identically on every backend, so that a key valid
 * for one backend is valid for all and none can leave a folder backend's root: not empty,
 * relative, `/`-separated segments that are neither empty nor start with `.` (so no `.`,
 * `..` and no hidden or temporary files), no `\`, no NUL or control characters, at most
 * 1024 UTF-8 bytes.
 *
 * @throws InvalidArchiveKeyError
 */
export function checkBackendKey(key: string): void {
  if (key === '') throw new InvalidArchiveKeyError(key, 'key must not be empty');
  checkPath(key, 'key', false);
}

/**
 * Checks a listing prefix: `''` (everything), or the start of a key by the same rules
 * (it may end in `/`, and its last segment may be partial).
 *
 * @throws InvalidArchiveKeyError
 */
export function checkBackendPrefix(prefix: string): void {
  if (prefix === '') return;
  checkPath(prefix, 'prefix', true);
}

/** Orders keys as S3 does: by the bytes of their UTF-8 form. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The page size to use for a `limit` option: default and cap 1000.
 *
 * @throws InvalidArchiveError when `limit` is not a positive integer
 */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArchiveError('options.limit', `must be a positive integer, not ${limit}`);
  return Math.min(limit, MAX_LIST_LIMIT);
}
