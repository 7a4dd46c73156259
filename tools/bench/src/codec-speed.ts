import { deflateRawSync, gzipSync, gunzipSync } from 'node:zlib';
import { create } from '@bufbuild/protobuf';
import { WorkflowEventSchema, type TaskCompleted, type WorkflowEvent } from '@flunq/proto-types';
import {
  compressBytes,
  decodeEventEnvelope,
  decompressBytes,
  defaultCompressionOptions,
  encodeEventEnvelope,
  jsonToPayload,
  payloadToJson,
} from '@flunq/serializer';
import { ratio } from './bench-redis.js';
import { jsonDocument } from './data.js';

/** Runs `fn` for about `ms` milliseconds (after a warm-up) and returns microseconds per call. */
export function timePerCall(fn: () => unknown, ms = 1500): number {
  for (let i = 0; i < 2000; i++) fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1000 / calls;
}

function records(payloadBytes: number) {
  const input = jsonDocument(payloadBytes, 3);
  const output = jsonDocument(payloadBytes, 4);
  const seed = {
    id: '0190a5d4-1c2e-7000-8000-000000000001', source: 'flunq.io/worker', specversion: '1.0', type: 'io.flunq.task.completed',
    time: '2024-01-15T14:30:01.000Z', tenantid: 'tenant-a', workflowid: 'simple-test-workflow', executionid: 'exec-1', taskid: '/do/1/processData',
    data: { task_name: 'processData', input_data: input, output_data: output },
  };
  const template = create(WorkflowEventSchema, {
    id: seed.id, source: seed.source, type: seed.type, timeMs: 1_705_329_001_000n, tenantId: 'tenant-a', workflowId: 'simple-test-workflow',
    executionId: 'exec-1', taskId: seed.taskid,
    data: { case: 'taskCompleted', value: { taskName: 'processData', startedAtMs: 1_705_329_000_000n, completedAtMs: 1_705_329_001_000n, attempt: 1 } },
  });
  const value = template.data.value as TaskCompleted;
  // Per record: the payloads are encoded from the values, the rest is a shallow copy (as the worker builds events).
  const event = (validate: boolean): WorkflowEvent => ({
    ...template,
    data: { case: 'taskCompleted', value: { ...value, inputData: jsonToPayload(input, { validate }), outputData: jsonToPayload(output, { validate }) } },
  });
  return { seed, event };
}

function roundTrip(bytes: Uint8Array): unknown[] {
  const decoded = decodeEventEnvelope(bytes);
  const data = decoded.data.case === 'taskCompleted' ? decoded.data.value : undefined;
  return [payloadToJson(data?.inputData), payloadToJson(data?.outputData)];
}

/** Encode+decode time of the binary envelope vs JSON.stringify/parse; envelope-only decode rate; compression MB/s. */
export function runCodecSpeed(): string[] {
  const rows = ['| record | JSON.stringify+parse (µs) | envelope encode+decode (µs) | ratio (goal <= 1.1x) |', '|---|---|---|---|'];
  for (const size of [600, 4000]) {
    const { seed, event } = records(size);
    const recordBytes = JSON.stringify(seed).length;
    const base = timePerCall(() => JSON.parse(JSON.stringify(seed)));
    for (const validate of [true, false]) {
      const ours = timePerCall(() => roundTrip(encodeEventEnvelope(event(validate))));
      rows.push(`| task.completed, ${recordBytes} B JSON, ${validate ? 'validating values' : 'values from JSON.parse (no walk)'} | ${base.toFixed(2)} | ${ours.toFixed(2)} | **${ratio(ours, base)}** |`);
    }
  }
  const { seed, event } = records(600);
  const bytes = encodeEventEnvelope(event(false));
  const envelope = timePerCall(() => decodeEventEnvelope(bytes));
  const parse = timePerCall(() => JSON.parse(JSON.stringify(seed)));
  rows.push('', '| envelope-only decode | per second | baseline: JSON.parse of the seed record, per second |', '|---|---|---|');
  rows.push(`| task.completed event, payload bytes left encoded (${bytes.length} B) | **${Math.round(1e6 / envelope).toLocaleString('en-US')}/s** (goal >= 1,000,000/s) | ${Math.round(1e6 / parse).toLocaleString('en-US')}/s |`);

  rows.push('', '| compression of JSON | size | ratio | compress MB/s (goal >= 150) | decompress MB/s (goal >= 300) |', '|---|---|---|---|---|');
  const options = defaultCompressionOptions();
  for (const size of [4300, 42_000, 1_000_000]) {
    const data = Buffer.from(JSON.stringify(jsonDocument(size, 5)));
    const mbps = (us: number): string => (data.length / us).toFixed(0);
    const out = compressBytes(data, options);
    const c = timePerCall(() => compressBytes(data, options), 1000);
    const d = timePerCall(() => decompressBytes(out.codec, out.data, data.length, 1 << 26), 1000);
    rows.push(`| zstd-1 (flunq default) | ${data.length} B | ${(data.length / out.data.length).toFixed(2)} | **${mbps(c)}** | **${mbps(d)}** |`);
    const gz = gzipSync(data, { level: 1 });
    const gc = timePerCall(() => gzipSync(data, { level: 1 }), 1000);
    const gd = timePerCall(() => gunzipSync(gz), 1000);
    rows.push(`| gzip-1 (node:zlib, reference) | ${data.length} B | ${(data.length / gz.length).toFixed(2)} | ${mbps(gc)} | ${mbps(gd)} |`);
    const dr = deflateRawSync(data, { level: 1 });
    rows.push(`| deflate-raw-1 (fallback codec) | ${data.length} B | ${(data.length / dr.length).toFixed(2)} | ${mbps(timePerCall(() => deflateRawSync(data, { level: 1 }), 1000))} | - |`);
  }
  return rows;
}
