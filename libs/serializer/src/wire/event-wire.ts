import type { WorkflowEvent } from '@flunq/proto-types';
import {
  executionCancelledCodec,
  executionCompletedCodec,
  executionFailedCodec,
  executionStartedCodec,
  taskCompletedCodec,
  taskFailedCodec,
  taskStartedCodec,
} from './event-data-wire.js';
import { nextTag, otherField, readMessage, wireTypeTable, type FieldSink, type MessageCodec } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import type { WireReader } from './wire-reader.js';
import { WIRE_LEN, WIRE_VARINT } from './wire-type.js';

type EventData = WorkflowEvent['data'];
type DataCase = NonNullable<EventData['case']>;
type DataValue = NonNullable<EventData['value']>;

/** One member of the `data` oneof: its field number, case name and message codec. */
interface DataMember {
  readonly fieldNo: number;
  readonly case: DataCase;
  readonly codec: MessageCodec<DataValue>;
}

const DATA_MEMBERS: readonly DataMember[] = [
  { fieldNo: 20, case: 'executionStarted', codec: executionStartedCodec },
  { fieldNo: 21, case: 'taskStarted', codec: taskStartedCodec },
  { fieldNo: 22, case: 'taskCompleted', codec: taskCompletedCodec },
  { fieldNo: 23, case: 'taskFailed', codec: taskFailedCodec },
  { fieldNo: 24, case: 'executionCompleted', codec: executionCompletedCodec },
  { fieldNo: 25, case: 'executionFailed', codec: executionFailedCodec },
  { fieldNo: 26, case: 'executionCancelled', codec: executionCancelledCodec },
  { fieldNo: 40, case: 'other', codec: payloadCodec },
];
const MEMBER_BY_FIELD_NO: readonly (DataMember | undefined)[] = Array.from({ length: Math.max(...DATA_MEMBERS.map((m) => m.fieldNo)) + 1 }, (_, no) =>
  DATA_MEMBERS.find((m) => m.fieldNo === no),
);
const MEMBER_BY_CASE: ReadonlyMap<string, DataMember> = new Map(DATA_MEMBERS.map((m) => [m.case, m]));

/**
 * Wire codec of `flunq.v1.WorkflowEvent`. Reads switch on whole tags (see
 * payload-wire.ts); the `data` oneof is table-driven: the last member on the wire wins,
 * and a repeated occurrence of the same member is merged, as `fromBinary` does. An absent
 * oneof decodes to `{ case: undefined }`.
 */
export const workflowEventCodec: MessageCodec<WorkflowEvent> = {
  typeName: 'flunq.v1.WorkflowEvent',
  wireTypes: wireTypeTable({
    1: WIRE_LEN,
    2: WIRE_LEN,
    3: WIRE_LEN,
    4: WIRE_LEN,
    5: WIRE_VARINT,
    6: WIRE_LEN,
    7: WIRE_LEN,
    8: WIRE_LEN,
    9: WIRE_LEN,
    10: WIRE_LEN,
    11: WIRE_LEN,
    12: WIRE_VARINT,
    ...Object.fromEntries(DATA_MEMBERS.map((m) => [m.fieldNo, WIRE_LEN])),
  }),
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
  read: readEvent,
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
    writeData(sink, message.data);
  },
};

function readEvent(reader: WireReader, message: WorkflowEvent): void {
  for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        message.id = reader.string();
        break;
      case (2 << 3) | WIRE_LEN:
        message.source = reader.string();
        break;
      case (3 << 3) | WIRE_LEN:
        message.specVersion = reader.string();
        break;
      case (4 << 3) | WIRE_LEN:
        message.type = reader.string();
        break;
      case (5 << 3) | WIRE_VARINT:
        message.timeMs = reader.int64();
        break;
      case (6 << 3) | WIRE_LEN:
        message.subject = reader.string();
        break;
      case (7 << 3) | WIRE_LEN:
        message.tenantId = reader.string();
        break;
      case (8 << 3) | WIRE_LEN:
        message.workflowId = reader.string();
        break;
      case (9 << 3) | WIRE_LEN:
        message.executionId = reader.string();
        break;
      case (10 << 3) | WIRE_LEN:
        message.taskId = reader.string();
        break;
      case (11 << 3) | WIRE_LEN:
        message.correlationId = reader.string();
        break;
      case (12 << 3) | WIRE_VARINT:
        message.sequence = reader.uint64();
        break;
      default:
        readDataOrOther(reader, message, tag);
    }
  }
}

/**
 * Reads a `data` oneof member, or hands any other tag to `otherField`. The last member on
 * the wire wins; a repeated occurrence of the current member is merged into it.
 */
function readDataOrOther(reader: WireReader, message: WorkflowEvent, tag: number): void {
  const member = (tag & 7) === WIRE_LEN ? MEMBER_BY_FIELD_NO[tag >>> 3] : undefined;
  if (member === undefined) return otherField(reader, workflowEventCodec, tag);
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
