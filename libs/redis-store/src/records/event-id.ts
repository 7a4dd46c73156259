const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Event ids never hold control characters (refused on write), so this marker cannot start a real id.
const COMPACT_UUID = 0x01;

/** True when an event id holds control characters, which are refused. */
export function hasControlCharacters(id: string): boolean {
  return /\p{Cc}/u.test(id);
}

/**
 * The stored form of an event id: a canonical lowercase UUID (what the worker generates)
 * takes 17 bytes instead of 36; any other id is stored as its UTF-8 text.
 */
export function encodeEventId(id: string): Buffer {
  if (!UUID.test(id)) return Buffer.from(id, 'utf8');
  const out = Buffer.allocUnsafe(17);
  out[0] = COMPACT_UUID;
  out.write(id.replaceAll('-', ''), 1, 'hex');
  return out;
}

/** Reads an id written by {@link encodeEventId}. */
export function decodeEventId(stored: Uint8Array): string {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (bytes.length !== 17 || bytes[0] !== COMPACT_UUID) return bytes.toString('utf8');
  const hex = bytes.toString('hex', 1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
