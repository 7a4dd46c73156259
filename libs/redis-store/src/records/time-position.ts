import { InvalidArgumentError } from '../errors/store-errors.js';
import { assertValidId } from '../keys/key-builder.js';

/** A position in a newest-first listing (the execution listing, a content search): creation time, then execution id. */
export interface TimePosition {
  readonly createdAtMs: number;
  readonly executionId: string;
}

/** Newest first: createdAtMs desc, then executionId desc by UTF-8 bytes (as Redis orders equal scores). Negative when `a` comes first. */
export function compareTimePositions(a: TimePosition, b: TimePosition): number {
  return a.createdAtMs !== b.createdAtMs ? b.createdAtMs - a.createdAtMs : Buffer.compare(Buffer.from(b.executionId, 'utf8'), Buffer.from(a.executionId, 'utf8'));
}

/** An opaque cursor: base64url of `<tag><createdAtMs>:<executionId>` (the tag tells listings apart). */
export function encodeTimeCursor(position: TimePosition, tag = ''): string {
  return Buffer.from(`${tag}${position.createdAtMs}:${position.executionId}`, 'utf8').toString('base64url');
}

/** Reads a cursor of {@link encodeTimeCursor} with the same tag. @throws InvalidArgumentError (`cursor`) naming `owner` */
export function decodeTimeCursor(cursor: unknown, tag: string, owner: string): TimePosition {
  const invalid = (reason: string): never => {
    throw new InvalidArgumentError('cursor', `not a cursor of ${owner}: ${reason}`);
  };
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 512) return invalid('empty, too long or not a string');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) return invalid('not base64url');
  if (!text.startsWith(tag)) return invalid('malformed');
  const [, ms, executionId = ''] = /^(\d{1,16}):(.+)$/s.exec(text.slice(tag.length)) ?? [];
  const createdAtMs = Number(ms);
  if (ms === undefined || !Number.isSafeInteger(createdAtMs)) return invalid('malformed');
  try {
    assertValidId(executionId);
  } catch {
    return invalid('malformed execution id');
  }
  return { createdAtMs, executionId };
}
