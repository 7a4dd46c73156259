import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clone } from '@bufbuild/protobuf';
import { ExecutionStatus, PayloadSchema, WorkflowEventSchema, type Payload } from '@flunq/proto-types';
import { CorruptedDataError, PayloadTooLargeError, bytesToPayload, createPayloadSerializer } from '@flunq/serializer';
import { InvalidArgumentError, InvalidIdError, InvalidRecordError, LegacyRecordError, VersionConflictError } from '../errors/store-errors.js';
import type { IoStore, RecordEventInput } from '../io-store.js';
import { ExecutionBuilder } from './execution-builder.js';

/** What the contract suite needs from an adapter besides the port: raw access, as Redis holds it. */
export interface IoStoreHarness {
  readonly store: IoStore;
  /** Retention the store was created with. */
  readonly retention: { stateTtlMs: number; eventTtlMs: number };
  /** Size limit of task outputs the store was created with. */
  readonly maxTaskOutputSize: number;
  /** Stores a raw state value, as the original system did (SET of JSON text). */
  putRawState(executionId: string, value: Uint8Array): Promise<void>;
  /** Appends a legacy stream entry (auto id, one field per attribute). */
  putLegacyEntry(executionId: string, fields: Record<string, string>): Promise<void>;
  /** Everything stored for the execution as bytes, to compare before and after. */
  rawDump(executionId: string): Promise<string>;
  /** Remaining TTLs in ms, -1 for none. */
  ttls(executionId: string): Promise<{ state: number; stream: number }>;
  /** Claim-check threshold the store was created with (small, so tests stay small). */
  readonly claimCheckBytes: number;
  /** The execution's claim-checked blobs: how many, their bytes, the TTL of their key (-1 none); `drop` deletes them. */
  blobs(executionId: string): Promise<{ count: number; bytes: number; ttl: number }>;
  dropBlobs(executionId: string): Promise<void>;
  close(): Promise<void>;
}

/** The bytes of every stream entry of a raw dump (see {@link IoStoreHarness.rawDump}). */
const entryBytes = (dump: string): number[] => (JSON.parse(dump) as { entries: [string, ...(string | Record<string, string>)[]][] }).entries.map((e) => JSON.stringify(e).length / 2);

/** The seed's records (copied from shared/fixtures): legacy JSON state and event. */
const fixturesDir = new URL('./fixtures/', import.meta.url);

/** The seed's example execution: its input and four tasks, as in the seed document. */
export const SEED_INPUT = {
  message: 'Hello from Multi-Tenant Postman!',
  user_id: 'test-user-456',
  test_data: { number: 42, array: [1, 2, 3], nested: { key: 'value', deep: { level: 2, data: 'nested_value' } } },
};

let counter = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;

async function recordAll(store: IoStore, steps: RecordEventInput[]): Promise<void> {
  for (const step of steps) expect((await store.recordEvent(step)).outcome).toBe('appended');
}

function seedSteps(builder: ExecutionBuilder): RecordEventInput[] {
  return [
    builder.started(SEED_INPUT),
    builder.taskCompleted('initialize', { message: SEED_INPUT.message, user_id: SEED_INPUT.user_id }, { initialized: true }),
    builder.taskCompleted('processData', { source: 'workflow_input', parameters: { number: 42 } }, { result: 'processed successfully', metrics: { duration_ms: 12, items: 3 } }),
  ];
}

/**
 * The behaviour every {@link IoStore} adapter must have. Call inside a test file with a
 * factory for a fresh harness; the same suite runs against Redis and memory.
 */
export function describeIoStoreContract(adapter: string, createHarness: () => Promise<IoStoreHarness>): void {
  describe(`IoStore contract: ${adapter}`, () => {
    let h: IoStoreHarness;
    const serializer = createPayloadSerializer();
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    test('records steps and reads back state and events exactly as sent', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      await recordAll(h.store, seedSteps(builder));
      const state = await h.store.readState(builder.executionId);
      expect(state).toEqual(builder.state);
      expect(serializer.fromPayload(state?.input)).toEqual(SEED_INPUT);
      const { events } = await h.store.readEvents(builder.executionId);
      expect(events.map((e) => [e.event.type, e.event.sequence, e.event.id, e.event.executionId, e.event.specVersion])).toEqual([
        ['io.flunq.execution.started', 1n, `${builder.executionId}-e1`, builder.executionId, '1.0'],
        ['io.flunq.task.completed', 2n, `${builder.executionId}-e2`, builder.executionId, '1.0'],
        ['io.flunq.task.completed', 3n, `${builder.executionId}-e3`, builder.executionId, '1.0'],
      ]);
      const completed = events[2]?.event.data;
      expect(completed?.case).toBe('taskCompleted');
      if (completed?.case === 'taskCompleted') {
        expect(serializer.fromPayload(completed.value.outputData)).toEqual({ result: 'processed successfully', metrics: { duration_ms: 12, items: 3 } });
      }
    });

    test('the bare snapshot refers to events for task input/output instead of copying them', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      await recordAll(h.store, seedSteps(builder));
      const bare = await h.store.readState(builder.executionId, { hydrate: false });
      expect(bare?.completedTasks.map((t) => [t.taskName, t.eventSeq, t.input, t.output])).toEqual([
        ['initialize', 2n, undefined, undefined],
        ['processData', 3n, undefined, undefined],
      ]);
      expect([bare?.input, bare?.inputEventSeq, bare?.output, bare?.outputEventSeq]).toEqual([undefined, 1n, undefined, 3n]);
    });

    test('a payload the event does not really carry stays inline in the state', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const [started] = seedSteps(builder);
      started!.state.input = serializer.toPayload({ not: 'the started input' });
      await recordAll(h.store, [started!]);
      const bare = await h.store.readState(builder.executionId, { hydrate: false });
      expect(serializer.fromPayload(bare?.input)).toEqual({ not: 'the started input' });
    });

    test('the same event delivered twice changes nothing', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const steps = seedSteps(builder);
      await recordAll(h.store, steps);
      const before = await h.rawDump(builder.executionId);
      for (const step of steps) expect(await h.store.recordEvent(step)).toEqual({ outcome: 'duplicate', sequence: step.expectedVersion + 1 });
      expect(await h.rawDump(builder.executionId)).toBe(before);
    });

    test('UUID event ids (stored compactly) read back and deduplicate like any other id', async () => {
      const ids = ['0190a5d4-1c2e-7000-8000-00000000000a', '0190a5d4-1c2e-7000-8000-00000000000b', '0190a5d4-1c2e-7000-8000-00000000000c'];
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer, { eventId: (seq) => ids[seq - 1]! });
      const steps = seedSteps(builder);
      await recordAll(h.store, steps);
      expect((await h.store.readEvents(builder.executionId)).events.map((e) => e.event.id)).toEqual(ids);
      expect((await h.store.recordEvent(steps[2]!)).outcome).toBe('duplicate');
      const rival = { ...steps[2]!, event: { ...steps[2]!.event, id: '0190a5d4-1c2e-7000-8000-00000000000d' } };
      await expect(h.store.recordEvent(rival)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(h.store.recordEvent({ ...steps[2]!, event: { ...steps[2]!.event, id: 'bad\u0001id' } })).rejects.toBeInstanceOf(InvalidRecordError);
    });

    test('a different event at a taken position is a version conflict and changes nothing', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const [started, task] = seedSteps(builder);
      await recordAll(h.store, [started!, task!]);
      const before = await h.rawDump(builder.executionId);
      const rival = { ...task!, event: clone(WorkflowEventSchema, task!.event) };
      rival.event.id = 'another-event';
      await expect(h.store.recordEvent(rival)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(h.store.recordEvent({ ...started!, event: { ...started!.event, id: 'x' } })).rejects.toMatchObject({ code: 'VERSION_CONFLICT', actualVersion: 2 });
      expect(await h.rawDump(builder.executionId)).toBe(before);
    });

    test('racing writers at the same version: exactly one wins, the others conflict, nothing is half-written', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const [started, task] = seedSteps(builder);
      await recordAll(h.store, [started!]);
      const rivals = Array.from({ length: 20 }, (_, i) => ({ ...task!, event: { ...task!.event, id: `rival-${i}` } }));
      const results = await Promise.allSettled(rivals.map((step) => h.store.recordEvent(step)));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof VersionConflictError)).toBe(true);
      const { events } = await h.store.readEvents(builder.executionId);
      expect(events.map((e) => e.event.sequence)).toEqual([1n, 2n]);
      expect((await h.store.readState(builder.executionId, { hydrate: false }))?.version).toBe(2n);
    });

    test('inconsistent records are refused before anything is written', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const [started] = seedSteps(builder);
      await expect(h.store.recordEvent({ ...started!, expectedVersion: 1 })).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(h.store.recordEvent({ ...started!, event: { ...started!.event, id: '' } })).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(h.store.recordEvent({ ...started!, event: { ...started!.event, executionId: 'other' } })).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(h.store.recordEvent({ ...started!, event: { ...started!.event, tenantId: 'tenant-b' } })).rejects.toBeInstanceOf(InvalidRecordError);
      for (const bad of ['a:b', 'a{b}', 'a b', '', 'x'.repeat(300)]) {
        await expect(h.store.recordEvent({ ...started!, state: { ...started!.state, id: bad } })).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.store.readState(bad)).rejects.toBeInstanceOf(InvalidIdError);
      }
      expect(await h.store.readState(builder.executionId)).toBeUndefined();
      expect(await h.rawDump(builder.executionId)).toBe(await h.rawDump(uniqueId('never-written')));
    });

    test('an over-limit task output is refused with a typed error; state and stream stay byte-for-byte unchanged', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      await recordAll(h.store, seedSteps(builder));
      const before = await h.rawDump(builder.executionId);
      // The serializer refuses the value itself ...
      const big = { blob: 'x'.repeat(h.maxTaskOutputSize) };
      const limited = createPayloadSerializer({ limits: { ...serializer.limits, maxTaskOutputSize: h.maxTaskOutputSize } });
      expect(() => limited.toPayload(big, { path: 'tasks.fetch.output', limit: 'taskOutput' })).toThrow(PayloadTooLargeError);
      // ... and the store refuses a record that carries such a payload anyway.
      const step = builder.taskCompleted('fetch', { q: 1 }, { small: true });
      const huge: Payload = bytesToPayload(Buffer.alloc(h.maxTaskOutputSize + 1, 0x20), 1);
      if (step.event.data.case === 'taskCompleted') step.event.data.value.outputData = huge;
      step.state.completedTasks.at(-1)!.output = clone(PayloadSchema, huge);
      const error = await h.store.recordEvent(step).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ path: 'tasks.fetch.output', size: h.maxTaskOutputSize + 1, limit: h.maxTaskOutputSize });
      expect(await h.rawDump(builder.executionId)).toBe(before);
    });

    test('claim check: payloads stored in the threshold or more are kept once outside their event and read back exactly', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      // random text: compression cannot bring it under the threshold
      const big = { blob: randomBytes(Math.ceil(h.claimCheckBytes * 1.5)).toString('base64') };
      const steps = [builder.started({ n: 1 }), builder.taskCompleted('fetch', { n: 1 }, big), builder.taskCompleted('keep', big, big), builder.completed(big)];
      await recordAll(h.store, steps);
      const id = builder.executionId;
      // one blob for the four copies (fetch output, keep input and output, workflow output), no event holds it
      const blobs = await h.blobs(id);
      expect(blobs.count).toBe(1);
      expect(blobs.bytes).toBeGreaterThanOrEqual(h.claimCheckBytes);
      for (const size of entryBytes(await h.rawDump(id))) expect(size).toBeLessThan(2048);
      const events = (await h.store.readEvents(id)).events.map((e) => e.event);
      const keep = events[2]!.data;
      expect(keep.case).toBe('taskCompleted');
      if (keep.case === 'taskCompleted') {
        expect(serializer.fromPayload(keep.value.inputData!, 'input')).toEqual(big);
        expect(serializer.fromPayload(keep.value.outputData!, 'output')).toEqual(big);
      }
      const state = (await h.store.readState(id))!;
      expect(serializer.fromPayload(state.output!, 'output')).toEqual(big);
      expect(serializer.fromPayload(state.completedTasks[1]!.input!, 'input')).toEqual(big);
      const abort = new AbortController();
      const watched = [];
      for await (const stored of h.store.watchEvents(id, { signal: abort.signal })) {
        watched.push(stored.event);
        if (watched.length === 4) abort.abort();
      }
      expect(watched).toEqual(events);
      // the blobs live as long as the events that point at them
      const [blobTtl, { stream: streamTtl }] = [(await h.blobs(id)).ttl, await h.ttls(id)];
      expect(streamTtl).toBeGreaterThan(0);
      expect(Math.abs(blobTtl - streamTtl)).toBeLessThan(1000);
      // a lost blob is a typed error, never a wrong value
      await h.dropBlobs(id);
      await expect(h.store.readEvents(id)).rejects.toBeInstanceOf(CorruptedDataError);
      await expect(h.store.readState(id)).rejects.toBeInstanceOf(CorruptedDataError);
    });

    test('a terminal state sets the retention TTLs; running states have none', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      await recordAll(h.store, seedSteps(builder));
      expect(await h.ttls(builder.executionId)).toEqual({ state: -1, stream: -1 });
      await recordAll(h.store, [builder.completed({ result: 'workflow completed successfully' })]);
      const ttls = await h.ttls(builder.executionId);
      const streamTtl = Math.max(h.retention.stateTtlMs, h.retention.eventTtlMs);
      expect(ttls.state).toBeGreaterThan(h.retention.stateTtlMs - 5000);
      expect(ttls.state).toBeLessThanOrEqual(h.retention.stateTtlMs);
      expect(ttls.stream).toBeGreaterThan(streamTtl - 5000);
      expect((await h.store.readState(builder.executionId))?.status).toBe(ExecutionStatus.COMPLETED);
    });

    test('events page in order with cursors', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const steps = [builder.started({ n: 0 })];
      for (let i = 0; i < 24; i++) steps.push(builder.taskCompleted(`t${i}`, { i }, { i: i * 2 }));
      await recordAll(h.store, steps);
      const seen: bigint[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await h.store.readEvents(builder.executionId, after === undefined ? { limit: 10 } : { limit: 10, after });
        seen.push(...page.events.map((e) => e.event.sequence));
        // Attributes stored once, in the first event, come back on every page.
        for (const { event } of page.events) expect([event.tenantId, event.workflowId, event.type]).toEqual([builder.state.tenantId, builder.state.workflowId, event.sequence === 1n ? 'io.flunq.execution.started' : 'io.flunq.task.completed']);
        after = page.nextCursor;
        pages += 1;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
      await expect(h.store.readEvents(builder.executionId, { limit: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
      expect((await h.store.readEvents(uniqueId('none'))).events).toEqual([]);
    });

    test("reads the seed's legacy JSON state and events as the original stored them, and refuses to append to them", async () => {
      const id = uniqueId('legacy');
      const stateText = readFileSync(new URL('seed-legacy-state.json', fixturesDir));
      const legacy = JSON.parse(stateText.toString('utf8')) as Record<string, unknown> & { completed_tasks: Record<string, unknown>[] };
      const eventJson = JSON.parse(readFileSync(new URL('seed-legacy-event.json', fixturesDir), 'utf8')) as { event_type: string; data: unknown };
      await h.putRawState(id, stateText);
      await h.putLegacyEntry(id, {
        id: 'evt-1', source: 'flunq.io/worker', specversion: '1.0', type: eventJson.event_type, time: '2024-01-15T14:30:01Z',
        workflowid: 'simple-test-workflow', executionid: id, taskid: 'processData', tenantid: 'tenant-a', data: JSON.stringify(eventJson.data),
      });
      const state = await h.store.readState(id);
      expect(state?.status).toBe(ExecutionStatus.COMPLETED);
      expect(state?.id).toBe(legacy['id']);
      for (const field of ['input', 'output', 'variables'] as const) expect(serializer.fromPayload(state?.[field])).toEqual(legacy[field]);
      const task = state?.completedTasks[0];
      expect([task?.taskName, task?.startedAtMs, task?.completedAtMs]).toEqual(['initialize', BigInt(Date.parse('2024-01-15T14:30:00Z')), BigInt(Date.parse('2024-01-15T14:30:01Z'))]);
      expect(serializer.fromPayload(task?.input)).toEqual(legacy.completed_tasks[0]?.['input']);
      expect(serializer.fromPayload(task?.output)).toEqual(legacy.completed_tasks[0]?.['output']);
      const [entry] = (await h.store.readEvents(id)).events;
      expect([entry?.event.type, entry?.event.id, entry?.event.tenantId, entry?.event.timeMs]).toEqual([eventJson.event_type, 'evt-1', 'tenant-a', BigInt(Date.parse('2024-01-15T14:30:01Z'))]);
      const data = entry?.event.data;
      expect(data?.case).toBe('taskCompleted');
      if (data?.case === 'taskCompleted') {
        expect({ task_name: data.value.taskName, input_data: serializer.fromPayload(data.value.inputData), output_data: serializer.fromPayload(data.value.outputData) }).toEqual(eventJson.data);
      }
      const before = await h.rawDump(id);
      const step = new ExecutionBuilder(id, serializer).started({});
      await expect(h.store.recordEvent(step)).rejects.toBeInstanceOf(LegacyRecordError);
      expect(await h.rawDump(id)).toBe(before);
    });

    test('corrupted stored bytes give a typed error', async () => {
      const junkId = uniqueId('junk');
      await h.putRawState(junkId, Uint8Array.from([0xfa, 0x51, 1, 1, 0, 0, 0, 1, 0x0a, 0xff, 0xff]));
      await expect(h.store.readState(junkId)).rejects.toBeInstanceOf(CorruptedDataError);
      const foreignId = uniqueId('foreign');
      await h.putRawState(foreignId, Buffer.from('not a record'));
      await expect(h.store.readState(foreignId)).rejects.toMatchObject({ code: 'UNKNOWN_ENCODING' });
    });
  });
}
