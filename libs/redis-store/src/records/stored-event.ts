import type { WorkflowEvent } from '@flunq/proto-types';
import { decodeEventEnvelope, encodeEventEnvelope, legacyEventFromFields } from '@flunq/serializer';

/** CloudEvents spec version of every event; not stored, restored on read. */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** The CloudEvents type of each kind of typed data; stored only when an event uses another. */
export const CANONICAL_TYPES: Readonly<Record<NonNullable<WorkflowEvent['data']['case']>, string>> = {
  executionStarted: 'io.flunq.execution.started',
  taskStarted: 'io.flunq.task.started',
  taskCompleted: 'io.flunq.task.completed',
  taskFailed: 'io.flunq.task.failed',
  executionCompleted: 'io.flunq.execution.completed',
  executionFailed: 'io.flunq.execution.failed',
  executionCancelled: 'io.flunq.execution.cancelled',
  other: '',
};

/** Attributes shared by every event of an execution, stored once in its first event. */
export interface ExecutionContext {
  readonly tenantId: string;
  readonly workflowId: string;
}

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
 * The stored form of an event. Whatever the key, the position or the first event already
 * say is left out: execution id, sequence, spec version, the type when it is the canonical
 * one for the data, and (after the first event) tenant and workflow ids. The id goes in its
 * own stream field so the Lua script can compare it without decoding.
 */
export function toStoredEvent(event: WorkflowEvent, sequence: number, context: ExecutionContext): Uint8Array {
  const canonical = event.data.case ? CANONICAL_TYPES[event.data.case] : '';
  const first = sequence === 1;
  return encodeEventEnvelope({
      ...event,
      id: '',
      executionId: '',
      sequence: 0n,
      specVersion: '',
      type: event.type === canonical ? '' : event.type,
      tenantId: first ? context.tenantId : '',
      workflowId: first ? context.workflowId : '',
    });
}

/** Restores an event from its stored form (binary entry: fields `i` and `e`). */
export function fromStoredEvent(id: string, bytes: Uint8Array, executionId: string, sequence: number): WorkflowEvent {
  const event = decodeEventEnvelope(bytes);
  event.id = id;
  event.executionId = executionId;
  event.sequence = BigInt(sequence);
  event.specVersion = CLOUDEVENTS_SPEC_VERSION;
  if (!event.type && event.data.case) event.type = CANONICAL_TYPES[event.data.case];
  return event;
}

/** Fills the attributes stored only in the first event into events read without it. */
export function withContext(events: WorkflowEvent[], first: WorkflowEvent | undefined): WorkflowEvent[] {
  if (!first) return events;
  for (const event of events) {
    if (!event.tenantId) event.tenantId = first.tenantId;
    if (!event.workflowId) event.workflowId = first.workflowId;
  }
  return events;
}

/** Reads a legacy stream entry (one field per CloudEvents attribute) as an event. */
export function fromLegacyEntry(fields: Record<string, string>, executionId: string): WorkflowEvent {
  const event = legacyEventFromFields(fields);
  if (!event.executionId) event.executionId = executionId;
  if (!event.specVersion) event.specVersion = CLOUDEVENTS_SPEC_VERSION;
  return event;
}
