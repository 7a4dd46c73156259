/**
 * Micro-benchmark of the hand-written wire codec against protobuf-es and JSON.
 *
 *   npx tsx --conditions=@flunq/source libs/serializer/bench/wire.bench.ts
 *
 * Subject: an io.flunq.task.completed event of ~1.4 KB whose input and output are JSON
 * payloads of ~600 B each, stored as json/plain bytes. Baseline: JSON.stringify/parse of
 * the same event as a plain JSON record (payloads embedded as JSON values), so the fair
 * comparison for decoding is "decode + JSON.parse of payloads"; "envelope decode" leaves
 * payload bytes as they are. Prints the median µs/op over several rounds; not a test,
 * numbers vary with the machine and its load.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { PayloadEncoding, PayloadSchema, TaskCompletedSchema, WorkflowEventSchema, type Payload, type WorkflowEvent } from '@flunq/proto-types';
import { decodeWorkflowEvent, encodeWorkflowEvent } from '../src/wire/index.js';

const ROUNDS = 7;
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A JSON value that serializes to roughly 600 bytes. */
function order(tag: string): unknown {
  return {
    orderId: `ord-${tag}-2024-000123`,
    customer: { id: `cus-${tag}-88120`, name: 'Ada Lovelace', email: 'ada@example.com', tier: 'gold', tags: ['vip', 'beta', 'eu-west'] },
    items: [1, 2, 3, 4].map((i) => ({ sku: `SKU-${tag}-${i}000`, name: `Widget model ${i}`, qty: i, unitPrice: 19.99 * i })),
    shipping: { method: 'express', address: { street: '12 Analytical Engine Way', city: 'London', zip: 'N1 9GU', country: 'GB' } },
    total: 199.9,
    currency: 'EUR',
  };
}

function jsonPayload(value: unknown): Payload {
  const data = utf8.encode(JSON.stringify(value));
  return create(PayloadSchema, { encoding: PayloadEncoding.JSON_PLAIN, originalSize: BigInt(data.length), checksum: 0x9a3c_11f0, data });
}

const input = order('in');
const output = order('out');
const event: WorkflowEvent = create(WorkflowEventSchema, {
  id: '01J9Z3K4T2QH8VXW5M6N7P8R9S',
  source: 'flunq.io/worker',
  specVersion: '1.0',
  type: 'io.flunq.task.completed',
  timeMs: 1_726_000_000_123n,
  subject: 'task/fetchUser',
  tenantId: 'acme-corp',
  workflowId: 'order-fulfilment',
  executionId: 'exec-7f3a9c2e4b1d',
  taskId: '/do/1/fetchUser',
  correlationId: 'corr-5d1e2f3a',
  sequence: 42n,
  data: {
    case: 'taskCompleted',
    value: create(TaskCompletedSchema, {
      taskName: 'fetchUser',
      inputData: jsonPayload(input),
      outputData: jsonPayload(output),
      startedAtMs: 1_726_000_000_000n,
      completedAtMs: 1_726_000_000_120n,
      attempt: 1,
    }),
  },
});

/** The same event as a JSON store would keep it: numbers for int64, payloads as JSON values. */
const record = {
  id: event.id,
  source: event.source,
  specVersion: event.specVersion,
  type: event.type,
  timeMs: 1_726_000_000_123,
  subject: event.subject,
  tenantId: event.tenantId,
  workflowId: event.workflowId,
  executionId: event.executionId,
  taskId: event.taskId,
  correlationId: event.correlationId,
  sequence: 42,
  data: {
    taskCompleted: {
      taskName: 'fetchUser',
      inputData: { encoding: 'json/plain', originalSize: 614, checksum: 0x9a3c_11f0, data: input },
      outputData: { encoding: 'json/plain', originalSize: 620, checksum: 0x9a3c_11f0, data: output },
      startedAtMs: 1_726_000_000_000,
      completedAtMs: 1_726_000_000_120,
      attempt: 1,
    },
  },
};

const bytes = toBinary(WorkflowEventSchema, event);
const json = JSON.stringify(record);

/** Parses both JSON payloads of a decoded task.completed event: the rest of what JSON.parse does. */
function parsePayloads(decoded: WorkflowEvent): unknown[] {
  if (decoded.data.case !== 'taskCompleted') throw new Error('unexpected case');
  const { inputData, outputData } = decoded.data.value;
  return [decoded, JSON.parse(text.decode(inputData?.data)), JSON.parse(text.decode(outputData?.data))];
}

let sink = 0;

/** Median µs per call of `fn` over {@link ROUNDS} timed rounds of `iterations` calls. */
function measure(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < iterations; i++) sink ^= fn() === undefined ? 1 : 0;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink ^= fn() === undefined ? 1 : 0;
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  return rounds.sort((a, b) => a - b)[ROUNDS >> 1] ?? Number.NaN;
}

function row(name: string, protobufEs: number | undefined, hand: number, json?: number): void {
  const cell = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(3)).padStart(12);
  const speedup = protobufEs === undefined ? '' : `  x${(protobufEs / hand).toFixed(1)} vs protobuf-es`;
  const vsJson = json === undefined ? '' : `  ${(hand / json).toFixed(2)} of JSON`;
  console.log(`${name.padEnd(34)}${cell(protobufEs)}${cell(hand)}${cell(json)}${speedup}${vsJson}`);
}

function main(): void {
  if (Buffer.compare(encodeWorkflowEvent(event), bytes) !== 0) throw new Error('hand codec output differs from toBinary');
  console.log(`${event.type} event: ${bytes.length} B protobuf, ${json.length} B JSON; payloads ${[input, output].map((v) => JSON.stringify(v).length).join(' + ')} B`);
  console.log(`${'µs/op (median)'.padEnd(34)}${'protobuf-es'.padStart(12)}${'hand codec'.padStart(12)}${'JSON'.padStart(12)}`);

  const n = 20_000;
  const encPb = measure(() => toBinary(WorkflowEventSchema, event), n);
  const encHand = measure(() => encodeWorkflowEvent(event), n);
  const encJson = measure(() => JSON.stringify(record), n);
  row('encode', encPb, encHand, encJson);

  const envPb = measure(() => fromBinary(WorkflowEventSchema, bytes), n);
  const envHand = measure(() => decodeWorkflowEvent(bytes), n * 5);
  row('envelope decode (data = views)', envPb, envHand);

  const fullPb = measure(() => parsePayloads(fromBinary(WorkflowEventSchema, bytes)), n);
  const fullHand = measure(() => parsePayloads(decodeWorkflowEvent(bytes)), n);
  const decJson = measure(() => JSON.parse(json), n);
  row('decode + JSON.parse of payloads', fullPb, fullHand, decJson);

  row('encode + envelope decode', encPb + envPb, encHand + envHand, encJson + decJson);
  row('encode + decode + parse payloads', encPb + fullPb, encHand + fullHand, encJson + decJson);
  console.log(`envelope decodes/s (hand codec): ${Math.round(1e6 / envHand).toLocaleString('en-US')}`);
  if (sink === 42) console.log('');
}

main();
