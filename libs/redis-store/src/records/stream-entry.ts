import type { WorkflowEvent } from '@flunq/proto-types';
import { asUint8Array } from '@flunq/serializer';
import { decodeEventId } from './event-id.js';
import { fromLegacyEntry, fromStoredEvent, sequenceOf } from './stored-event.js';

/** True for an entry in this store's binary form: exactly the fields `i` (event id) and `e` (event envelope). */
export function isBinaryEntry(fields: readonly Uint8Array[]): boolean {
  return fields.length === 4 && isField(fields[0], 'i') && isField(fields[2], 'e');
}

/**
 * Reads one stream entry as an event: a binary entry (`i`/`e`, sequence from its id `<seq>-0`)
 * or an original-system entry (one field per CloudEvents attribute, `data` as JSON text).
 * Attributes kept only in the first event (tenant, workflow) are not filled: see `withContext`.
 */
export function decodeStreamEntry(entryId: string, fields: readonly Uint8Array[], executionId: string): WorkflowEvent {
  const [, id, , envelope] = fields;
  if (isBinaryEntry(fields) && id && envelope) return fromStoredEvent(decodeEventId(id), asUint8Array(envelope), executionId, sequenceOf(entryId));
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [name, value] = [fields[i], fields[i + 1]];
    if (name && value) map[utf8(name)] = utf8(value);
  }
  return fromLegacyEntry(map, executionId);
}

const isField = (bytes: Uint8Array | undefined, name: string): boolean => bytes !== undefined && bytes.length === 1 && bytes[0] === name.charCodeAt(0);
const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
