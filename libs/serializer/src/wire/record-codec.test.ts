import { create, fromBinary, ScalarType, toBinary, type DescField, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  ClaimCheckSchema,
  ExecutionCancelledSchema,
  ExecutionCompletedSchema,
  ExecutionFailedSchema,
  ExecutionStartedSchema,
  PayloadSchema,
  TaskCompletedSchema,
  TaskErrorSchema,
  TaskFailedSchema,
  TaskRecordSchema,
  TaskStartedSchema,
  WorkflowEventSchema,
  WorkflowStateSchema,
  type Payload,
  type WorkflowEvent,
} from '@flunq/proto-types';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorruptedDataError } from '../errors/errors.js';
import {
  executionCancelledCodec,
  executionCompletedCodec,
  executionFailedCodec,
  executionStartedCodec,
  taskCompletedCodec,
  taskFailedCodec,
  taskStartedCodec,
} from './event-data-wire.js';
import { workflowEventCodec } from './event-wire.js';
import { decodeMessage, UNKNOWN_FIELD, type MessageCodec } from './message-codec.js';
import { claimCheckCodec, payloadCodec } from './payload-wire.js';
import { taskErrorCodec, taskRecordCodec, workflowStateCodec } from './state-wire.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire-type.js';
import {
  decodePayloadMessage,
  decodeTaskRecord,
  decodeWorkflowEvent,
  decodeWorkflowState,
  encodePayloadMessage,
  encodeTaskRecord,
  encodeWorkflowEvent,
  encodeWorkflowState,
} from './index.js';

/**
 * Compares byte arrays with one memcmp instead of element by element (large payloads make
 * the default slow), keeping toStrictEqual's class check: a Buffer is not a Uint8Array.
 */
function sameBytes(a: unknown, b: unknown): boolean | undefined {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return undefined;
  return a.constructor === b.constructor && Buffer.compare(a, b) === 0;
}
expect.addEqualityTesters([sameBytes]);

// ---------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const int64 = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, 127n, 128n, 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 56n, INT64_MAX, INT64_MIN),
  fc.bigInt({ min: 0n, max: 2n ** 42n }), // epoch milliseconds
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
);
const uint64 = fc.oneof(
  fc.constantFrom(0n, 1n, 127n, 128n, 2n ** 32n, 2n ** 53n, 2n ** 56n, 2n ** 63n, UINT64_MAX),
  fc.bigInt({ min: 0n, max: 2n ** 20n }),
  fc.bigInt({ min: 0n, max: UINT64_MAX }),
);
const uint32 = fc.oneof(fc.constantFrom(0, 1, 127, 128, 2 ** 31, 2 ** 32 - 1), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
/** Open enums: any int32, negative ones take 10 bytes. */
const enumValue = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer());

/** Bytes longer than 127 / 16383 need 2- and 3-byte length prefixes; built cheaply from a seed. */
const largeBytes = fc
  .record({ length: fc.integer({ min: 128, max: 70_000 }), seed: fc.nat(255) })
  .map(({ length, seed }) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));
const bytes = fc.oneof({ weight: 6, arbitrary: fc.uint8Array({ maxLength: 40 }) }, { weight: 1, arbitrary: largeBytes });

const loneSurrogates = fc.string({
  unit: fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.constantFrom('a', 'é', '€', '😀')),
});
/** Strings that survive a protobuf-es round trip unchanged (no lone surrogate, no leading BOM). */
const wellFormedString = fc
  .oneof(
    fc.constant(''),
    fc.string(),
    fc.string({ minLength: 10, maxLength: 40 }), // the JS fast paths for 13..32 bytes
    fc.string({ minLength: 60, maxLength: 300 }), // TextEncoder/TextDecoder paths
    fc.string({ unit: 'binary' }), // any code point, astral ones included
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('é', 'ÿ', '€', '😀', 'a😀b', 'x\u0000y', 'ab\uFEFF'),
  )
  .filter((s) => !s.startsWith('\uFEFF'));
/** Adds what protobuf-es does not round-trip: lone surrogates (-> U+FFFD) and a leading BOM (dropped on decode). */
const anyString = fc.oneof(
  { weight: 6, arbitrary: wellFormedString },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: wellFormedString.map((s) => `\uFEFF${s}`) },
);

function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 3 });
}

/** Arbitraries of every record message, built with `create` so they hold what protobuf-es would. */
function messageArbitraries(string: fc.Arbitrary<string>) {
  const claimCheck = fc.record({ uri: string, sha256: bytes, storedSize: uint64 }).map((init) => create(ClaimCheckSchema, init));
  const payload = fc
    .record({
      encoding: enumValue,
      compression: enumValue,
      originalSize: uint64,
      checksum: uint32,
      claimCheck: optional(claimCheck),
      data: bytes,
      messageType: string,
    })
    .map((init) => create(PayloadSchema, init));
  const taskError = fc
    .record({ type: string, status: uint32, title: string, detail: string, instance: string, retryable: fc.boolean() })
    .map((init) => create(TaskErrorSchema, init));
  const taskRecord = fc
    .record({
      taskName: string,
      taskId: string,
      input: optional(payload),
      output: optional(payload),
      startedAtMs: int64,
      completedAtMs: int64,
      attempt: uint32,
      error: optional(taskError),
      eventSeq: uint64,
    })
    .map((init) => create(TaskRecordSchema, init));
  const workflowState = fc
    .record({
      id: string,
      tenantId: string,
      workflowId: string,
      workflowVersion: string,
      status: enumValue,
      input: optional(payload),
      output: optional(payload),
      variables: optional(payload),
      completedTasks: fc.array(taskRecord, { maxLength: 4 }),
      currentTasks: fc.array(string, { maxLength: 4 }),
      createdAtMs: int64,
      updatedAtMs: int64,
      completedAtMs: int64,
      version: uint64,
      correlationId: string,
      error: optional(taskError),
      inputEventSeq: uint64,
      outputEventSeq: uint64,
      replayOf: string,
      taskCount: uint32,
    })
    .map((init) => create(WorkflowStateSchema, init));
  const taskEnd = { taskName: string, inputData: optional(payload), startedAtMs: int64, completedAtMs: int64, attempt: uint32 };
  const data: fc.Arbitrary<WorkflowEvent['data']> = fc.oneof(
    fc.constant({ case: undefined }),
    fc.record({ input: optional(payload), workflowVersion: string }).map((v) => ({ case: 'executionStarted', value: create(ExecutionStartedSchema, v) }) as const),
    fc.record({ taskName: string, inputData: optional(payload), attempt: uint32 }).map((v) => ({ case: 'taskStarted', value: create(TaskStartedSchema, v) }) as const),
    fc.record({ ...taskEnd, outputData: optional(payload) }).map((v) => ({ case: 'taskCompleted', value: create(TaskCompletedSchema, v) }) as const),
    fc.record({ ...taskEnd, error: optional(taskError) }).map((v) => ({ case: 'taskFailed', value: create(TaskFailedSchema, v) }) as const),
    fc.record({ output: optional(payload) }).map((v) => ({ case: 'executionCompleted', value: create(ExecutionCompletedSchema, v) }) as const),
    fc.record({ error: optional(taskError) }).map((v) => ({ case: 'executionFailed', value: create(ExecutionFailedSchema, v) }) as const),
    fc.record({ reason: string }).map((v) => ({ case: 'executionCancelled', value: create(ExecutionCancelledSchema, v) }) as const),
    payload.map((value) => ({ case: 'other', value }) as const),
  );
  const workflowEvent = fc
    .record({
      id: string,
      source: string,
      specVersion: string,
      type: string,
      timeMs: int64,
      subject: string,
      tenantId: string,
      workflowId: string,
      executionId: string,
      taskId: string,
      correlationId: string,
      sequence: uint64,
      engineDetail: optional(payload),
      data,
    })
    .map((init) => create(WorkflowEventSchema, init));
  return { payload, taskRecord, workflowState, workflowEvent };
}

/** One entry per public message pair: our functions, the protobuf-es schema and arbitraries. */
interface Subject<D extends DescMessage> {
  readonly name: string;
  readonly schema: D;
  readonly encode: (message: MessageShape<D>) => Uint8Array;
  readonly decode: (bytes: Uint8Array, offset?: number, length?: number) => MessageShape<D>;
  readonly any: fc.Arbitrary<MessageShape<D>>;
  readonly wellFormed: fc.Arbitrary<MessageShape<D>>;
}

const anyMessages = messageArbitraries(anyString);
const wellFormedMessages = messageArbitraries(wellFormedString);

function subject<D extends DescMessage>(s: Subject<D>): Subject<DescMessage> {
  return s as unknown as Subject<DescMessage>;
}

const SUBJECTS: readonly Subject<DescMessage>[] = [
  subject({
    name: 'WorkflowEvent',
    schema: WorkflowEventSchema,
    encode: encodeWorkflowEvent,
    decode: decodeWorkflowEvent,
    any: anyMessages.workflowEvent,
    wellFormed: wellFormedMessages.workflowEvent,
  }),
  subject({
    name: 'WorkflowState',
    schema: WorkflowStateSchema,
    encode: encodeWorkflowState,
    decode: decodeWorkflowState,
    any: anyMessages.workflowState,
    wellFormed: wellFormedMessages.workflowState,
  }),
  subject({
    name: 'TaskRecord',
    schema: TaskRecordSchema,
    encode: encodeTaskRecord,
    decode: decodeTaskRecord,
    any: anyMessages.taskRecord,
    wellFormed: wellFormedMessages.taskRecord,
  }),
  subject({
    name: 'Payload',
    schema: PayloadSchema,
    encode: encodePayloadMessage,
    decode: decodePayloadMessage,
    any: anyMessages.payload,
    wellFormed: wellFormedMessages.payload,
  }),
];

const RUNS = { numRuns: 150 };
const FUZZ_RUNS = { numRuns: 1500 };

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A deep copy of a fromBinary result without the `$unknown` fields it keeps (we skip them). */
function withoutUnknown(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUnknown);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '$unknown').map(([key, v]) => [key, withoutUnknown(v)]));
}

/**
 * Decodes malformed or random input: it must either throw CorruptedDataError (nothing
 * else), or succeed with exactly what fromBinary makes of the same bytes (which must then
 * succeed too). We are stricter than protobuf-es, never different.
 */
function decodesLikeProtobufEsOrRejects(subject: Subject<DescMessage>, input: Uint8Array): void {
  let decoded: unknown;
  try {
    decoded = subject.decode(input);
  } catch (error) {
    if (!(error instanceof CorruptedDataError)) throw error;
    return;
  }
  expect(decoded).toStrictEqual(withoutUnknown(fromBinary(subject.schema, input)));
}

// ---------------------------------------------------------------------------------------
// Agreement with protobuf-es
// ---------------------------------------------------------------------------------------

describe.each(SUBJECTS)('$name wire codec', ({ schema, encode, decode, any, wellFormed }) => {
  test('encodes byte-identically to toBinary', () => {
    fc.assert(
      fc.property(any, (message) => {
        expect(encode(message)).toStrictEqual(toBinary(schema, message));
      }),
      RUNS,
    );
  });

  test('decodes toBinary output deep-equal to fromBinary', () => {
    fc.assert(
      fc.property(any, (message) => {
        const encoded = toBinary(schema, message);
        expect(decode(encoded)).toStrictEqual(fromBinary(schema, encoded));
      }),
      RUNS,
    );
  });

  test('round-trips messages protobuf-es round-trips', () => {
    fc.assert(
      fc.property(wellFormed, (message) => {
        expect(decode(encode(message))).toStrictEqual(message);
      }),
      RUNS,
    );
  });

  test('merges concatenated encodings like fromBinary (last scalar wins, messages merge, lists append)', () => {
    fc.assert(
      fc.property(any, any, (first, second) => {
        const encoded = concat(toBinary(schema, first), toBinary(schema, second));
        expect(decode(encoded)).toStrictEqual(fromBinary(schema, encoded));
      }),
      { numRuns: 60 },
    );
  });

  test('decodes a region of a larger buffer without copying, Buffer input included', () => {
    fc.assert(
      fc.property(any, fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), (message, head, tail) => {
        const encoded = toBinary(schema, message);
        const framed = Buffer.from(concat(head, encoded, tail));
        expect(decode(framed, head.length, encoded.length)).toStrictEqual(fromBinary(schema, framed.subarray(head.length, head.length + encoded.length)));
        expect(decode(new Uint8Array(framed), head.length, encoded.length)).toStrictEqual(fromBinary(schema, encoded));
      }),
      { numRuns: 60 },
    );
  });

  test('skips unknown fields of every wire type', () => {
    const unknownField = fc.oneof(
      fc.nat().map((v) => [...varint((50 << 3) | 0), ...varint(v)]),
      fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => [...varint((51 << 3) | 1), ...b]),
      fc.uint8Array({ maxLength: 20 }).map((b) => [...varint((52 << 3) | 2), ...varint(b.length), ...b]),
      fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => [...varint((1000 << 3) | 5), ...b]),
    );
    fc.assert(
      fc.property(any, fc.array(unknownField, { minLength: 1, maxLength: 4 }), (message, extra) => {
        const encoded = toBinary(schema, message);
        expect(decode(concat(encoded, ...extra.map((f) => Uint8Array.from(f))))).toStrictEqual(fromBinary(schema, encoded));
      }),
      { numRuns: 60 },
    );
  });

  test('throws what toBinary throws on out-of-range values', () => {
    const message = create(schema);
    const bigintField = schema.fields.find((f) => f.fieldKind === 'scalar' && typeof (message as Record<string, unknown>)[f.localName] === 'bigint');
    if (bigintField === undefined) throw new Error('every record message has an int64 or uint64 field');
    const bad = { ...message, [bigintField.localName]: 2n ** 64n };
    expect(() => toBinary(schema, bad)).toThrow();
    expect(() => encode(bad)).toThrow(RangeError);
  });
});

/** The wire type protobuf uses for a field (none of ours is packed or a group). */
function wireTypeOf(field: DescField): number {
  if (field.fieldKind !== 'scalar') return field.fieldKind === 'enum' ? WIRE_VARINT : WIRE_LEN;
  switch (field.scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WIRE_LEN;
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.FLOAT:
      return WIRE_FIXED32;
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.DOUBLE:
      return WIRE_FIXED64;
    default:
      return WIRE_VARINT;
  }
}

const CODECS: readonly [DescMessage, MessageCodec<unknown>][] = [
  [ClaimCheckSchema, claimCheckCodec],
  [PayloadSchema, payloadCodec],
  [TaskErrorSchema, taskErrorCodec],
  [TaskRecordSchema, taskRecordCodec],
  [WorkflowStateSchema, workflowStateCodec],
  [ExecutionStartedSchema, executionStartedCodec],
  [TaskStartedSchema, taskStartedCodec],
  [TaskCompletedSchema, taskCompletedCodec],
  [TaskFailedSchema, taskFailedCodec],
  [ExecutionCompletedSchema, executionCompletedCodec],
  [ExecutionFailedSchema, executionFailedCodec],
  [ExecutionCancelledSchema, executionCancelledCodec],
  [WorkflowEventSchema, workflowEventCodec],
] as [DescMessage, MessageCodec<unknown>][];

describe.each(CODECS.map(([schema, codec]) => [schema.typeName, schema, codec] as const))('%s codec follows the generated schema', (typeName, schema, codec) => {
  test('same fields with the same wire types (a field added to the .proto fails here)', () => {
    const expected = new Map(schema.fields.map((f) => [f.number, wireTypeOf(f)]));
    const actual = new Map([...codec.wireTypes].flatMap((wireType, fieldNo) => (wireType === UNKNOWN_FIELD ? [] : [[fieldNo, wireType] as const])));
    expect(actual).toStrictEqual(expected);
    expect(codec.typeName).toBe(typeName);
  });

  test('create() equals create(Schema): proto3 defaults, no message fields', () => {
    expect(codec.create()).toStrictEqual(create(schema));
  });

  test('every field reads back with its declared wire type and is rejected with any other', () => {
    for (const field of schema.fields) {
      for (const wireType of [WIRE_VARINT, WIRE_FIXED64, WIRE_LEN, WIRE_FIXED32]) {
        const value = { [WIRE_VARINT]: [1], [WIRE_FIXED64]: [0, 0, 0, 0, 0, 0, 0, 0], [WIRE_LEN]: [0], [WIRE_FIXED32]: [0, 0, 0, 0] }[wireType] ?? [];
        const bytes = Uint8Array.of(...varint((field.number << 3) | wireType), ...value);
        const decode = (): unknown => decodeMessage(codec, 'test record', bytes, 0, bytes.length);
        if (wireType === wireTypeOf(field)) expect(decode()).toStrictEqual(withoutUnknown(fromBinary(schema, bytes)));
        else expect(decode).toThrow(CorruptedDataError);
      }
    }
  });
});

describe('decoded objects', () => {
  test('bytes fields are views of the input, not copies', () => {
    const payload = create(PayloadSchema, { data: Uint8Array.of(1, 2, 3), claimCheck: { sha256: Uint8Array.of(9, 9) } });
    const encoded = encodePayloadMessage(payload);
    const decoded = decodePayloadMessage(encoded);
    expect(decoded.data.buffer).toBe(encoded.buffer);
    expect(decoded.claimCheck?.sha256.buffer).toBe(encoded.buffer);
    encoded[decoded.data.byteOffset + 1] = 7;
    expect([...decoded.data]).toEqual([1, 7, 3]);
  });

  test('absent fields hold proto3 defaults, absent messages are not set, an absent oneof is { case: undefined }', () => {
    expect(decodeWorkflowEvent(new Uint8Array(0))).toStrictEqual(fromBinary(WorkflowEventSchema, new Uint8Array(0)));
    expect(decodeWorkflowState(new Uint8Array(0))).toStrictEqual(fromBinary(WorkflowStateSchema, new Uint8Array(0)));
    const event = decodeWorkflowEvent(new Uint8Array(0));
    expect(event.data).toStrictEqual({ case: undefined });
    expect('claimCheck' in decodePayloadMessage(new Uint8Array(0))).toBe(false);
  });

  test('a leading U+FEFF is dropped, exactly as fromBinary does', () => {
    const encoded = Uint8Array.of(0x0a, 5, 0xef, 0xbb, 0xbf, 0x41, 0x42);
    expect(decodeWorkflowEvent(encoded).id).toBe('AB');
    expect(decodeWorkflowEvent(encoded)).toStrictEqual(fromBinary(WorkflowEventSchema, encoded));
  });

  test('invalid UTF-8 in a string is corrupt data (fromBinary throws a TypeError)', () => {
    for (const invalid of [[0xff], [0x41, 0xc3], [0xed, 0xa0, 0x80], Array.from({ length: 20 }, () => 0x80)]) {
      const encoded = Uint8Array.of(0x0a, invalid.length, ...invalid);
      expect(() => fromBinary(WorkflowEventSchema, encoded)).toThrow(TypeError);
      expect(() => decodeWorkflowEvent(encoded)).toThrow(CorruptedDataError);
    }
  });

  test('a large payload (4-byte length prefix) keeps its bytes', () => {
    const data = new Uint8Array(2_200_000).map((_, i) => i & 0xff);
    const event = create(WorkflowEventSchema, { id: 'big', data: { case: 'other', value: create(PayloadSchema, { data }) } });
    const encoded = encodeWorkflowEvent(event);
    expect(encoded).toStrictEqual(toBinary(WorkflowEventSchema, event));
    expect((decodeWorkflowEvent(encoded).data.value as Payload).data).toStrictEqual(data);
    expect(encoded.length).toBe(1 + 1 + 3 + 2 + 4 + 1 + 4 + data.length);
  });
});

// ---------------------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------------------

/** Random protobuf-shaped bytes: plausible tags of any field number and wire type, nested. */
const { message: randomWire } = fc.letrec<{ message: Uint8Array; field: Uint8Array }>((tie) => ({
  message: fc.array(tie('field'), { maxLength: 6 }).map((fields) => concat(...fields)),
  field: fc
    .record({
      fieldNo: fc.oneof(fc.integer({ min: 0, max: 26 }), fc.constantFrom(40, 41, 1000)),
      wireType: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 5) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) }),
      body: fc.oneof({ depthSize: 'small' }, fc.uint8Array({ maxLength: 12 }), tie('message')),
      lengthSkew: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) }),
    })
    .map(({ fieldNo, wireType, body, lengthSkew }) => {
      const tag = Uint8Array.from(varint(fieldNo * 8 + wireType));
      if (wireType !== 2) return concat(tag, body);
      return concat(tag, Uint8Array.from(varint(Math.max(0, body.length + lengthSkew))), body);
    }),
}));

describe.each(SUBJECTS)('$name decoder on malformed input', (subject) => {
  test('random bytes: throws CorruptedDataError or decodes like fromBinary', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => decodesLikeProtobufEsOrRejects(subject, input)),
      FUZZ_RUNS,
    );
  });

  test('random protobuf-shaped bytes: throws CorruptedDataError or decodes like fromBinary', () => {
    fc.assert(
      fc.property(randomWire, (input) => decodesLikeProtobufEsOrRejects(subject, input)),
      FUZZ_RUNS,
    );
  });

  test('every truncation of a valid encoding: throws CorruptedDataError or decodes like fromBinary', () => {
    fc.assert(
      fc.property(subject.any, (message) => {
        const encoded = subject.encode(message);
        const step = Math.max(1, Math.floor(encoded.length / 200));
        for (let end = 0; end < encoded.length; end += step) decodesLikeProtobufEsOrRejects(subject, encoded.subarray(0, end));
      }),
      { numRuns: 100 },
    );
  });

  test('bit flips in a valid encoding: throws CorruptedDataError or decodes like fromBinary', () => {
    fc.assert(
      fc.property(subject.any, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (message, flips) => {
        const encoded = subject.encode(message);
        if (encoded.length === 0) return;
        for (const flip of flips) {
          const at = (flip >>> 3) % encoded.length;
          encoded[at] = (encoded[at] ?? 0) ^ (1 << (flip & 7));
        }
        decodesLikeProtobufEsOrRejects(subject, encoded);
      }),
      FUZZ_RUNS,
    );
  });
});

describe('specific corruption is reported as CorruptedDataError', () => {
  const cases: [string, number[]][] = [
    ['truncated varint', [0x28, 0x80]],
    ['varint longer than 10 bytes', [0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['string length past the end', [0x0a, 0x05, 0x41]],
    ['huge length', [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ['embedded message past the end', [0xb2, 0x01, 0x10, 0x0a]],
    ['field straddling the end of its embedded message', [0xb2, 0x01, 0x02, 0x0a, 0x03, 0x41, 0x42, 0x43]],
    ['field number 0', [0x00, 0x00]],
    ['field number 0, long form', [0x80, 0x00, 0x00]],
    ['tag above 2^32', [0xff, 0xff, 0xff, 0xff, 0x1f, 0x00]],
    ['start group (wire type 3) on a known field', [0x0b]],
    ['end group (wire type 4) on an unknown field', [0xfc, 0x03]],
    ['wire type 6', [0x0e]],
    ['wire type 7 on an unknown field', [0xff, 0x03]],
    ['known string field sent as varint', [0x08, 0x01]],
    ['known int64 field sent as length-delimited', [0x2a, 0x00]],
    ['oneof message member sent as fixed32', [0xb5, 0x01, 0, 0, 0, 0]],
    ['truncated fixed64 of an unknown field', [0xf1, 0x03, 0, 0, 0]],
  ];

  test.each(cases)('%s', (_reason, input) => {
    expect(() => decodeWorkflowEvent(Uint8Array.from(input))).toThrow(CorruptedDataError);
  });

  test('a region outside the input', () => {
    expect(() => decodeWorkflowEvent(new Uint8Array(4), 2, 3)).toThrow(CorruptedDataError);
    expect(() => decodeWorkflowEvent(new Uint8Array(4), -1)).toThrow(CorruptedDataError);
    expect(() => decodeWorkflowEvent(new Uint8Array(4), 0.5)).toThrow(CorruptedDataError);
  });

  test('the error names what was read', () => {
    expect(() => decodeWorkflowState(Uint8Array.of(0x0a, 0x05))).toThrow(/corrupted workflow state: truncated/);
    expect(() => decodeWorkflowEvent(Uint8Array.of(0x08, 0x01))).toThrow(/flunq.v1.WorkflowEvent field 1 has wire type 0, expected 2/);
  });
});
