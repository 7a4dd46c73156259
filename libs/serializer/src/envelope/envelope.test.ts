import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { ExecutionStatus, TaskRecordSchema, WorkflowEventSchema, WorkflowStateSchema, type WorkflowEvent } from '@flunq/proto-types';
import { SerializationError } from '../errors/serialization-error.js';
import { UnknownEncodingError } from '../errors/errors.js';
import { createPayloadSerializer } from '../payload/payload-serializer.js';
import { decodeLegacyState } from '../legacy/legacy-state.js';
import { legacyEventFromFields } from '../legacy/legacy-event.js';
import { detectFormat, readStateVersion } from './envelope-header.js';
import { decodeEventEnvelope, decodeStateEnvelope, encodeEventEnvelope, encodeStateEnvelope } from './record-envelope.js';

const serializer = createPayloadSerializer();
const id = fc.string({ minLength: 1, maxLength: 40 });
const int64 = fc.bigInt({ min: 0n, max: 2n ** 53n });

const stateArb = fc
  .record({
    id,
    tenantId: fc.string(),
    status: fc.constantFrom(...Object.values(ExecutionStatus).filter((v): v is ExecutionStatus => typeof v === 'number')),
    input: fc.jsonValue(),
    version: fc.integer({ min: 0, max: 0xffffffff }),
    createdAtMs: int64,
    tasks: fc.array(fc.record({ taskName: fc.string(), output: fc.jsonValue(), eventSeq: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }), { maxLength: 5 }),
  })
  .map((s) =>
    create(WorkflowStateSchema, {
      id: s.id,
      tenantId: s.tenantId,
      status: s.status,
      input: serializer.toPayload(s.input),
      version: BigInt(s.version),
      createdAtMs: s.createdAtMs,
      completedTasks: s.tasks.map((t) => create(TaskRecordSchema, { taskName: t.taskName, output: serializer.toPayload(t.output), eventSeq: t.eventSeq })),
    }),
  );

const eventArb = fc
  .record({ id, type: fc.string(), timeMs: int64, taskName: fc.string(), input: fc.jsonValue(), output: fc.jsonValue() })
  .map(
    (e): WorkflowEvent =>
      create(WorkflowEventSchema, {
        id: e.id,
        type: e.type,
        timeMs: e.timeMs,
        data: { case: 'taskCompleted', value: { taskName: e.taskName, inputData: serializer.toPayload(e.input), outputData: serializer.toPayload(e.output) } },
      }),
  );

function typedOrOk(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
  }
}

describe('binary envelopes', () => {
  test('states round-trip, and the header carries the version', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const bytes = encodeStateEnvelope(state);
        expect(detectFormat(bytes)).toBe('binary');
        expect(readStateVersion(bytes)).toBe(Number(state.version));
        expect(decodeStateEnvelope(bytes)).toEqual(state);
      }),
      { numRuns: 200 },
    );
  });

  test('events round-trip with payloads still encoded', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const decoded = decodeEventEnvelope(encodeEventEnvelope(event));
        expect(decoded).toEqual(event);
        if (decoded.data.case === 'taskCompleted' && event.data.case === 'taskCompleted') {
          expect(serializer.fromPayload(decoded.data.value.outputData)).toEqual(serializer.fromPayload(event.data.value.outputData));
        }
      }),
      { numRuns: 200 },
    );
  });

  test('a reader tells binary from legacy JSON from anything else', () => {
    expect(detectFormat(Buffer.from('  {"id":"x"}'))).toBe('legacy-json');
    expect(detectFormat(Uint8Array.from([0xfa, 0x51, 1, 1]))).toBe('binary');
    expect(detectFormat(Buffer.from('hello'))).toBe('unknown');
    expect(detectFormat(new Uint8Array())).toBe('unknown');
  });

  test('a state envelope of a newer format version, or an event where a state is expected, is refused', () => {
    const bytes = encodeStateEnvelope(create(WorkflowStateSchema, { id: 'x', version: 1n }));
    const newer = Uint8Array.from(bytes);
    newer[2] = 9;
    expect(() => decodeStateEnvelope(newer)).toThrow(UnknownEncodingError);
    const event = encodeEventEnvelope(create(WorkflowEventSchema, { id: 'e' }));
    expect(() => decodeStateEnvelope(event)).toThrow(UnknownEncodingError);
  });
});

describe('fuzz: every decoder gives a typed error or a value, never a crash', () => {
  const valid = [
    encodeStateEnvelope(create(WorkflowStateSchema, { id: 'exec', version: 3n, input: serializer.toPayload({ a: [1, 2, 3] }) })),
    encodeEventEnvelope(create(WorkflowEventSchema, { id: 'e', type: 't', data: { case: 'other', value: serializer.toPayload({ big: 'x'.repeat(3000) }) } })),
  ];
  const decoders: [string, (bytes: Uint8Array) => unknown][] = [
    ['state envelope', decodeStateEnvelope],
    ['event envelope', decodeEventEnvelope],
    ['legacy state', decodeLegacyState],
    ['legacy event', (bytes) => legacyEventFromFields({ type: 'io.flunq.task.completed', data: Buffer.from(bytes).toString('utf8') })],
    [
      'payloads inside an event',
      (bytes) => {
        const event = decodeEventEnvelope(bytes);
        return event.data.case === 'other' ? serializer.fromPayload(event.data.value) : undefined;
      },
    ],
  ];

  test.each(decoders)('%s: random bytes', (_, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => typedOrOk(() => decode(bytes))),
      { numRuns: 1000 },
    );
  });

  test.each(decoders)('%s: valid records truncated, flipped or with a magic prefix', (_, decode) => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 64 }), (record, cut, flip, tail) => {
        const truncated = record.subarray(0, cut % (record.length + 1));
        const flipped = Uint8Array.from(record);
        flipped[flip % flipped.length] = (flipped[flip % flipped.length] ?? 0) ^ (1 << flip % 8);
        const magic = Uint8Array.from([0xfa, 0x51, 1, record[3] ?? 1, 0, 0, 0, 1, ...tail]);
        for (const bytes of [truncated, flipped, magic]) typedOrOk(() => decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
