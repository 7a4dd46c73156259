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
import { nextField, readMessage, wireTypeTable, type FieldSink, type MessageCodec } from './message-codec.js';
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
const MEMBER_BY_FIELD_NO: readonly (DataMember | undefined)[] = Array.from({ length: 41 }, (_, no) => DATA_MEMBERS.find((m) => m.fieldNo === no));
const MEMBER_BY_CASE: ReadonlyMap<string, DataMember> = new Map(DATA_MEMBERS.map((m) => [m.case, m]));

/**
 * Wire codec of `flunq.v1.WorkflowEvent`. The `data` oneof is table-driven: the last
 * member on the wire wins, and a repeated occurrence of the same member is merged, as
 * `fromBinary` does. An absent oneof decodes to `{ case: undefined }`.
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
  read: readEventFields,
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

function readEventFields(reader: WireReader, message: WorkflowEvent): void {
  for (let fieldNo = nextField(reader, workflowEventCodec); fieldNo !== 0; fieldNo = nextField(reader, workflowEventCodec)) {
    switch (fieldNo) {
      case 1:
        message.id = reader.string();
        break;
      case 2:
        message.source = reader.string();
        break;
      case 3:
        message.specVersion = reader.string();
        break;
      case 4:
        message.type = reader.string();
        break;
      case 5:
        message.timeMs = reader.int64();
        break;
      case 6:
        message.subject = reader.string();
        break;
      case 7:
        message.tenantId = reader.string();
        break;
      case 8:
        message.workflowId = reader.string();
        break;
      case 9:
        message.executionId = reader.string();
        break;
      case 10:
        message.taskId = reader.string();
        break;
      case 11:
        message.correlationId = reader.string();
        break;
      case 12:
        message.sequence = reader.uint64();
        break;
      default:
        readData(reader, message, fieldNo);
    }
  }
}

/** Reads a `data` oneof member (any field number past 12 that the wire-type table knows). */
function readData(reader: WireReader, message: WorkflowEvent, fieldNo: number): void {
  const member = MEMBER_BY_FIELD_NO[fieldNo];
  if (member === undefined) return reader.fail(`flunq.v1.WorkflowEvent has no field ${fieldNo}`);
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
