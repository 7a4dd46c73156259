import { create } from '@bufbuild/protobuf';
import { WorkflowEventSchema, type WorkflowEvent } from '@flunq/proto-types';
import { decodeEventEnvelope, encodeEventEnvelope, legacyEventFromFields } from '@flunq/serializer';

/** CloudEvents spec version of every event; not stored, restored on read. */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** Stream entry id of the event at `sequence`: the entry id is the event order. */
export function entryIdOf(sequence: number): string {
  return `${sequence}-0`;
}

/** Sequence encoded in a stream entry id written by this store; 0 for foreign (legacy) ids. */
export function sequenceOf(entryId: string): number {
  const [major, minor] = entryId.split('-');
  return minor === '0' && Number(major) < 1e12 ? Number(major) : 0;
}

/**
 * The stored form of an event: fields that the key or the stream position already say
 * (execution id, sequence, spec version) are left out, and the id goes in its own stream
 * field so the Lua script can compare it without decoding.
 */
export function toStoredEvent(event: WorkflowEvent): Uint8Array {
  return encodeEventEnvelope(
    create(WorkflowEventSchema, { ...event, id: '', executionId: '', sequence: 0n, specVersion: '' }),
  );
}

/** Restores an event from its stored form (binary entry: fields `i` and `e`). */
export function fromStoredEvent(id: string, bytes: Uint8Array, executionId: string, sequence: number): WorkflowEvent {
  const event = decodeEventEnvelope(bytes);
  event.id = id;
  event.executionId = executionId;
  event.sequence = BigInt(sequence);
  event.specVersion = CLOUDEVENTS_SPEC_VERSION;
  return event;
}

/** Reads a legacy stream entry (one field per CloudEvents attribute) as an event. */
export function fromLegacyEntry(fields: Record<string, string>, executionId: string): WorkflowEvent {
  const event = legacyEventFromFields(fields);
  if (!event.executionId) event.executionId = executionId;
  if (!event.specVersion) event.specVersion = CLOUDEVENTS_SPEC_VERSION;
  return event;
}
