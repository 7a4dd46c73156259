import type { WorkflowEvent } from '@flunq/proto-types';
import { EVENT_DATA_MEMBERS, type EventDataMember } from './event-data-wire.js';
import { messageCodec, readMessage, type FieldReaders, type FieldSink, type MessageCodec } from './message-codec.js';
import type { WireReader } from './wire-reader.js';
import { payloadCodec } from './payload-wire.js';
import { lenTag, varintTag } from './wire-type.js';

type EventData = WorkflowEvent['data'];

const MEMBER_BY_CASE: ReadonlyMap<string, EventDataMember> = new Map(EVENT_DATA_MEMBERS.map((m) => [m.case, m]));

/** The reader of each member of the `data` oneof, under its tag. */
const DATA_READERS: FieldReaders<WorkflowEvent> = Object.fromEntries(
  EVENT_DATA_MEMBERS.map((member) => [lenTag(member.fieldNo), (reader: WireReader, message: WorkflowEvent) => readData(reader, message, member)]),
);

/**
 * Wire codec of `flunq.v1.WorkflowEvent`. Fields are listed as described in
 * payload-wire.ts; the `data` oneof is table-driven: the last member on the wire wins,
 * and a repeated occurrence of the same member is merged, as `fromBinary` does. An absent
 * oneof decodes to `{ case: undefined }`.
 */
export const workflowEventCodec: MessageCodec<WorkflowEvent> = messageCodec<WorkflowEvent>({
  typeName: 'flunq.v1.WorkflowEvent',
  create: () => ({
    $typeName: 'flunq.v1.WorkflowEvent',
    id: '',
    source: '',
    specVersion: '',
    type: '',
    timeMs: 0n,
    subject: '',
    tenantId: '',
    workflowId: '',
    executionId: '',
    taskId: '',
    correlationId: '',
    sequence: 0n,
    data: { case: undefined },
  }),
  readers: {
    [lenTag(1)]: (r, m) => (m.id = r.string()),
    [lenTag(2)]: (r, m) => (m.source = r.string()),
    [lenTag(3)]: (r, m) => (m.specVersion = r.string()),
    [lenTag(4)]: (r, m) => (m.type = r.string()),
    [varintTag(5)]: (r, m) => (m.timeMs = r.int64()),
    [lenTag(6)]: (r, m) => (m.subject = r.string()),
    [lenTag(7)]: (r, m) => (m.tenantId = r.string()),
    [lenTag(8)]: (r, m) => (m.workflowId = r.string()),
    [lenTag(9)]: (r, m) => (m.executionId = r.string()),
    [lenTag(10)]: (r, m) => (m.taskId = r.string()),
    [lenTag(11)]: (r, m) => (m.correlationId = r.string()),
    [varintTag(12)]: (r, m) => (m.sequence = r.uint64()),
    [lenTag(13)]: (r, m) => (m.engineDetail = readMessage(r, payloadCodec, m.engineDetail)),
    ...DATA_READERS,
  },
  writeFields(sink, message) {
    sink.string(1, message.id);
    sink.string(2, message.source);
    sink.string(3, message.specVersion);
    sink.string(4, message.type);
    sink.int64(5, message.timeMs);
    sink.string(6, message.subject);
    sink.string(7, message.tenantId);
    sink.string(8, message.workflowId);
    sink.string(9, message.executionId);
    sink.string(10, message.taskId);
    sink.string(11, message.correlationId);
    sink.uint64(12, message.sequence);
    sink.message(13, message.engineDetail, payloadCodec);
    writeData(sink, message.data);
  },
});

/** Reads a `data` oneof member: it replaces another member, or is merged into an earlier occurrence of itself. */
function readData(reader: WireReader, message: WorkflowEvent, member: EventDataMember): void {
  const current = message.data.case === member.case ? message.data.value : undefined;
  // The table pairs each case with its own codec, so the value matches the case.
  message.data = { case: member.case, value: readMessage(reader, member.codec, current) } as EventData;
}

function writeData(sink: FieldSink, data: EventData): void {
  if (data.case === undefined) return;
  const member = MEMBER_BY_CASE.get(data.case);
  if (member === undefined) throw new TypeError(`unknown flunq.v1.WorkflowEvent data case: ${String(data.case)}`);
  sink.message(member.fieldNo, data.value, member.codec);
}
