import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ExecutionStatus } from '@flunq/proto-types';
import { InvalidArgumentError, InvalidIdError, InvalidRecordError } from '../errors/store-errors.js';
import type { ExecutionIndex, ExecutionSummary, ListExecutionsOptions } from '../executions/execution-index.js';
import type { MemoryExecutionIndexDump } from '../executions/memory-execution-index.js';
import { compareListOrder, EXECUTION_SCAN_BUDGET } from '../executions/execution-record.js';
import type { DumpedKey } from './definition-dump.js';

/** What the execution-index contract suite needs from an adapter besides the port: raw access. */
export interface ExecutionIndexHarness {
  readonly index: ExecutionIndex;
  /** Everything the index holds (every key, type and value) as canonical text, to compare before and after. */
  rawDump(): Promise<string>;
  close(): Promise<void>;
}

/** Every key of a {@link MemoryExecutionIndex}, in the format of `dumpRedisKeys`. */
export function dumpMemoryExecutionIndex(dump: MemoryExecutionIndexDump): DumpedKey[] {
  const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');
  return [
    ...[...dump.hashes].map(([key, hash]): DumpedKey => ({ key, type: 'hash', fields: Object.fromEntries([...hash].map(([f, v]) => [f, hex(v)])) })),
    ...[...dump.zsets].map(
      ([key, set]): DumpedKey => ({
        key,
        type: 'zset',
        members: [...set].map(([m, score]): [string, string] => [m, String(score)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      }),
    ),
  ];
}

let counter = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;
const BASE = Date.UTC(2024, 4, 1);

/** A summary with defaults, for tests. */
export function sampleSummary(tenantId: string, executionId: string, overrides: Partial<ExecutionSummary> = {}): ExecutionSummary {
  return {
    executionId,
    tenantId,
    workflowId: 'orders',
    workflowVersion: '1.0.0',
    status: ExecutionStatus.RUNNING,
    createdAtMs: BASE,
    updatedAtMs: BASE,
    completedAtMs: 0,
    correlationId: '',
    replayOf: '',
    ...overrides,
  };
}

async function listAll(index: ExecutionIndex, options: ListExecutionsOptions): Promise<ExecutionSummary[]> {
  const all: ExecutionSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await index.list(cursor === undefined ? options : { ...options, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

/**
 * Checks the scan budget (slow: upserts 2 x EXECUTION_SCAN_BUDGET + 2 executions): a status
 * and a workflow set of over a budget each, meeting only in the oldest execution. The first
 * page is empty but has a cursor; the next one holds the match and ends the listing.
 */
export async function expectScanBudgetPaging(index: ExecutionIndex, tenantId: string): Promise<void> {
  const n = 2 * EXECUTION_SCAN_BUDGET + 2;
  const writes: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const status = i <= EXECUTION_SCAN_BUDGET ? ExecutionStatus.FAILED : ExecutionStatus.RUNNING;
    const workflowId = i === 0 || i > EXECUTION_SCAN_BUDGET ? 'rare' : 'other';
    writes.push(index.upsert(sampleSummary(tenantId, `e${i}`, { createdAtMs: BASE + i, status, workflowId })));
  }
  await Promise.all(writes);
  const first = await index.list({ tenantId, status: ExecutionStatus.FAILED, workflowId: 'rare' });
  expect(first.items).toEqual([]);
  expect(first.nextCursor).toBeDefined();
  const second = await index.list({ tenantId, status: ExecutionStatus.FAILED, workflowId: 'rare', cursor: first.nextCursor! });
  expect(second).toEqual({ items: [sampleSummary(tenantId, 'e0', { createdAtMs: BASE, status: ExecutionStatus.FAILED, workflowId: 'rare' })] });
  expect((await index.list({ tenantId, status: ExecutionStatus.FAILED, limit: 3 })).items.map((s) => s.executionId)).toEqual([
    `e${EXECUTION_SCAN_BUDGET}`, `e${EXECUTION_SCAN_BUDGET - 1}`, `e${EXECUTION_SCAN_BUDGET - 2}`,
  ]);
}

const ids = (items: readonly ExecutionSummary[]): string[] => items.map((s) => s.executionId);

/**
 * The behaviour every {@link ExecutionIndex} adapter must have. Call inside a test file with a
 * factory for a fresh harness; the same suite runs against memory, Redis and a Redis Cluster.
 */
export function describeExecutionIndexContract(adapter: string, createHarness: () => Promise<ExecutionIndexHarness>): void {
  describe(`ExecutionIndex contract: ${adapter}`, () => {
    let h: ExecutionIndexHarness;
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    test('upserts and lists newest first (ties by execution id, descending), gets one entry; the same upsert again changes nothing', async () => {
      const tenantId = uniqueId('tenant');
      const a = sampleSummary(tenantId, 'exec-a', { createdAtMs: BASE + 10, correlationId: 'order-1 ✓', replayOf: 'exec-0' });
      const b = sampleSummary(tenantId, 'exec-b', { createdAtMs: BASE + 20, workflowVersion: '2024-05-01+hotfix' });
      const c = sampleSummary(tenantId, 'exec-c', { createdAtMs: BASE + 10, status: ExecutionStatus.COMPLETED, completedAtMs: BASE + 99, updatedAtMs: BASE + 99 });
      for (const s of [a, b, c]) await h.index.upsert(s);
      expect(await h.index.list({ tenantId })).toEqual({ items: [b, c, a] });
      expect(await h.index.get(tenantId, 'exec-a')).toEqual(a);
      expect(await h.index.get(tenantId, 'exec-x')).toBeUndefined();
      const before = await h.rawDump();
      expect(before).toContain(`execution:summary:{${tenantId}}`);
      expect(before).toContain(`executions:{${tenantId}}:status:COMPLETED`);
      expect(before).toContain(`executions:{${tenantId}}:workflow:orders`);
      for (const s of [a, b, c]) await h.index.upsert(s);
      expect(await h.rawDump()).toBe(before);
      expect(await h.index.list({ tenantId: uniqueId('empty') })).toEqual({ items: [] });
    });

    test('remove takes an execution out of every listing and filter; removing an unlisted one does nothing', async () => {
      const tenantId = uniqueId('tenant');
      const a = sampleSummary(tenantId, 'exec-a', { createdAtMs: BASE + 1, status: ExecutionStatus.COMPLETED, completedAtMs: BASE + 5, updatedAtMs: BASE + 5 });
      const b = sampleSummary(tenantId, 'exec-b', { createdAtMs: BASE + 2 });
      await h.index.upsert(a);
      const onlyA = await h.rawDump();
      await h.index.upsert(b);
      await h.index.remove(tenantId, 'exec-b');
      await h.index.remove(tenantId, 'exec-b');
      await h.index.remove(tenantId, 'never');
      expect(await h.rawDump()).toBe(onlyA);
      expect(await h.index.get(tenantId, 'exec-b')).toBeUndefined();
      await h.index.remove(tenantId, 'exec-a');
      expect(await h.index.list({ tenantId })).toEqual({ items: [] });
      expect(await h.index.list({ tenantId, status: ExecutionStatus.COMPLETED })).toEqual({ items: [] });
      expect(await h.rawDump()).not.toContain(`{${tenantId}}`);
      expect(await h.index.tenants()).not.toContain(tenantId);
    });

    test('removeMany takes a batch out of every listing at once, across workflows and statuses; unlisted and repeated ids are skipped; a bad id removes nothing', async () => {
      const tenantId = uniqueId('tenant');
      const kept = sampleSummary(tenantId, 'kept', { createdAtMs: BASE, workflowId: 'orders' });
      await h.index.upsert(kept);
      const onlyKept = await h.rawDump();
      const batch = ['x1', 'x2', 'x3', 'x4'].map((id, i) =>
        sampleSummary(tenantId, id, { createdAtMs: BASE + 1 + i, workflowId: i % 2 ? 'orders' : 'billing', ...(i < 2 ? { status: ExecutionStatus.FAILED, completedAtMs: BASE + 9, updatedAtMs: BASE + 9 } : {}) }),
      );
      for (const s of batch) await h.index.upsert(s);
      const full = await h.rawDump();
      await expect(h.index.removeMany(tenantId, ['x1', 'bad id'])).rejects.toBeInstanceOf(InvalidIdError);
      expect(await h.rawDump()).toBe(full);
      await h.index.removeMany(tenantId, ['x1', 'x2', 'x3', 'x4', 'x2', 'never']);
      expect(await h.rawDump()).toBe(onlyKept);
      expect((await h.index.list({ tenantId, workflowId: 'orders' })).items.map((s) => s.executionId)).toEqual(['kept']);
      await h.index.removeMany(tenantId, []);
      expect(await h.rawDump()).toBe(onlyKept);
    });

    test('tenants lists every tenant with a listed execution', async () => {
      const a = uniqueId('tenant-a');
      const b = uniqueId('tenant-b');
      await h.index.upsert(sampleSummary(a, 'x'));
      await h.index.upsert(sampleSummary(b, 'x'));
      await h.index.upsert(sampleSummary(b, 'y'));
      const tenants = await h.index.tenants();
      expect(tenants).toEqual(expect.arrayContaining([a, b]));
      expect(tenants.filter((t) => t === b)).toHaveLength(1);
    });

    test('a status change moves the execution between status filters; an older summary never rolls it back', async () => {
      const tenantId = uniqueId('tenant');
      const running = sampleSummary(tenantId, 'e1', { updatedAtMs: BASE + 1 });
      await h.index.upsert(running);
      await h.index.upsert(sampleSummary(tenantId, 'e2'));
      expect(ids((await h.index.list({ tenantId, status: ExecutionStatus.RUNNING })).items)).toEqual(['e2', 'e1']);
      expect((await h.index.list({ tenantId, status: ExecutionStatus.COMPLETED })).items).toEqual([]);
      const completed = { ...running, status: ExecutionStatus.COMPLETED, updatedAtMs: BASE + 5, completedAtMs: BASE + 5 };
      await h.index.upsert(completed);
      expect(ids((await h.index.list({ tenantId, status: ExecutionStatus.RUNNING })).items)).toEqual(['e2']);
      expect((await h.index.list({ tenantId, status: ExecutionStatus.COMPLETED })).items).toEqual([completed]);
      expect(await h.index.get(tenantId, 'e1')).toEqual(completed);
      const before = await h.rawDump();
      await h.index.upsert(running); // a late writer with the older state
      expect(await h.rawDump()).toBe(before);
      expect(await h.index.get(tenantId, 'e1')).toEqual(completed);
      expect((await h.index.list({ tenantId })).items).toHaveLength(2);
    });

    test('a changed workflow id moves the execution between workflow filters', async () => {
      const tenantId = uniqueId('tenant');
      await h.index.upsert(sampleSummary(tenantId, 'e1', { workflowId: 'team/a' }));
      await h.index.upsert(sampleSummary(tenantId, 'e1', { workflowId: 'team/b', updatedAtMs: BASE + 1 }));
      expect((await h.index.list({ tenantId, workflowId: 'team/a' })).items).toEqual([]);
      expect(ids((await h.index.list({ tenantId, workflowId: 'team/b' })).items)).toEqual(['e1']);
      expect(await h.rawDump()).not.toContain(`executions:{${tenantId}}:workflow:team/a`);
    });

    test('status, workflow and created time range filters combine (intersection), each in listing order', async () => {
      const tenantId = uniqueId('tenant');
      const statuses = [ExecutionStatus.RUNNING, ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.WAITING];
      const all: ExecutionSummary[] = [];
      for (let i = 0; i < 60; i++) {
        const s = sampleSummary(tenantId, `e-${String(i).padStart(2, '0')}`, {
          workflowId: ['orders', 'billing', 'team/ship'][i % 3]!,
          status: statuses[i % 4]!,
          createdAtMs: BASE + Math.floor(i / 2) * 1000, // pairs share a timestamp
        });
        all.push(s);
        await h.index.upsert(s);
      }
      const expected = (f: (s: ExecutionSummary) => boolean): string[] => ids(all.filter(f).sort(compareListOrder));
      const cases: [ListExecutionsOptions, (s: ExecutionSummary) => boolean][] = [
        [{ tenantId }, () => true],
        [{ tenantId, status: ExecutionStatus.FAILED }, (s) => s.status === ExecutionStatus.FAILED],
        [{ tenantId, workflowId: 'billing' }, (s) => s.workflowId === 'billing'],
        [{ tenantId, workflowId: 'billing', status: ExecutionStatus.COMPLETED }, (s) => s.workflowId === 'billing' && s.status === ExecutionStatus.COMPLETED],
        [{ tenantId, createdFromMs: BASE + 5000, createdToMs: BASE + 20_000 }, (s) => s.createdAtMs >= BASE + 5000 && s.createdAtMs < BASE + 20_000],
        [
          { tenantId, status: ExecutionStatus.RUNNING, workflowId: 'team/ship', createdFromMs: BASE + 3000, createdToMs: BASE + 25_000 },
          (s) => s.status === ExecutionStatus.RUNNING && s.workflowId === 'team/ship' && s.createdAtMs >= BASE + 3000 && s.createdAtMs < BASE + 25_000,
        ],
        [{ tenantId, workflowId: 'nothing' }, () => false],
        [{ tenantId, createdFromMs: BASE + 9000, createdToMs: BASE + 9000 }, () => false],
        [{ tenantId, status: ExecutionStatus.CANCELLED }, () => false],
      ];
      for (const [options, filter] of cases) {
        const want = expected(filter);
        expect(ids(await listAll(h.index, { ...options, limit: 4 })), JSON.stringify(options)).toEqual(want);
        expect(ids((await h.index.list(options)).items), JSON.stringify(options)).toEqual(want);
      }
      expect(expected(() => true)[0]).toBe('e-59');
      expect(expected(() => true).slice(0, 3)).toEqual(['e-59', 'e-58', 'e-57']);
    });

    test('pages through 250 executions with no duplicates or gaps while new ones are inserted at the head', async () => {
      const tenantId = uniqueId('tenant');
      const original: ExecutionSummary[] = [];
      for (let i = 0; i < 250; i++) {
        // groups of 5 share a timestamp, so pages end inside ties
        const s = sampleSummary(tenantId, `exec-${i}`, { createdAtMs: BASE + Math.floor(i / 5), status: i % 2 ? ExecutionStatus.RUNNING : ExecutionStatus.COMPLETED });
        original.push(s);
        await h.index.upsert(s);
      }
      const want = ids([...original].sort(compareListOrder));
      let inserted = 0;
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await h.index.list(cursor === undefined ? { tenantId, limit: 7 } : { tenantId, limit: 7, cursor });
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...ids(page.items));
        cursor = page.nextCursor;
        pages += 1;
        for (let j = 0; j < 2; j++) await h.index.upsert(sampleSummary(tenantId, `new-${(inserted += 1)}`, { createdAtMs: BASE + 1_000_000 + inserted, status: ExecutionStatus.CANCELLED }));
      } while (cursor !== undefined);
      expect(pages).toBe(36);
      expect(seen).toEqual(want);
      expect(new Set(seen).size).toBe(250);
      // the default page is 100; a page that ends exactly at the end has no cursor
      const first = await h.index.list({ tenantId });
      expect(first.items).toHaveLength(100);
      expect(first.nextCursor).toBeDefined();
      const running = await listAll(h.index, { tenantId, status: ExecutionStatus.RUNNING, limit: 25 });
      expect(ids(running)).toEqual(want.filter((id) => Number(id.slice(5)) % 2 === 1));
      const exact = await h.index.list({ tenantId, status: ExecutionStatus.RUNNING, limit: 125 });
      expect(exact.items).toHaveLength(125);
      expect(exact.nextCursor).toBeUndefined();
    });

    test('tenants are isolated: listings and gets never cross tenants, even for the same execution id', async () => {
      const tenantA = uniqueId('tenant-a');
      const tenantB = uniqueId('tenant-b');
      await h.index.upsert(sampleSummary(tenantA, 'shared-id', { workflowId: 'wf' }));
      await h.index.upsert(sampleSummary(tenantA, 'only-a', { workflowId: 'wf' }));
      await h.index.upsert(sampleSummary(tenantB, 'shared-id', { workflowId: 'wf', status: ExecutionStatus.FAILED }));
      expect(ids((await h.index.list({ tenantId: tenantA })).items)).toEqual(['shared-id', 'only-a']);
      expect((await h.index.list({ tenantId: tenantB })).items).toEqual([sampleSummary(tenantB, 'shared-id', { workflowId: 'wf', status: ExecutionStatus.FAILED })]);
      expect((await h.index.list({ tenantId: tenantB, workflowId: 'wf', status: ExecutionStatus.RUNNING })).items).toEqual([]);
      expect(await h.index.get(tenantB, 'only-a')).toBeUndefined();
      expect((await h.index.get(tenantB, 'shared-id'))?.status).toBe(ExecutionStatus.FAILED);
      expect((await h.index.get(tenantA, 'shared-id'))?.status).toBe(ExecutionStatus.RUNNING);
      // a cursor of one tenant's listing does not reveal another's entries
      const pageA = await h.index.list({ tenantId: tenantA, limit: 1 });
      expect(ids((await h.index.list({ tenantId: tenantB, cursor: pageA.nextCursor! })).items)).toEqual([]);
    });

    test('bad input is refused with typed errors and nothing is written', async () => {
      const tenantId = uniqueId('tenant');
      await h.index.upsert(sampleSummary(tenantId, 'kept'));
      const before = await h.rawDump();
      for (const bad of ['a/b', 'a:b', 'a{b', 'a}b', '', 'a b', 'x'.repeat(300)]) {
        await expect(h.index.upsert(sampleSummary(bad, 'e1'))).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.list({ tenantId: bad })).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.get(bad, 'e1')).rejects.toBeInstanceOf(InvalidIdError);
      }
      await expect(h.index.upsert(sampleSummary(tenantId, 'a:b'))).rejects.toMatchObject({ code: 'INVALID_ID', kind: 'execution' });
      await expect(h.index.upsert(sampleSummary(tenantId, 'e1', { workflowId: 'w{x}' }))).rejects.toMatchObject({ code: 'INVALID_ID', kind: 'workflow' });
      await expect(h.index.get(tenantId, 'a}b')).rejects.toBeInstanceOf(InvalidIdError);
      const badRecords: Partial<ExecutionSummary>[] = [
        { status: 42 as ExecutionStatus },
        { createdAtMs: -1 },
        { createdAtMs: Number.NaN },
        { updatedAtMs: 1.5 },
        { completedAtMs: Number.POSITIVE_INFINITY },
        { workflowVersion: 7 as unknown as string },
        { correlationId: 'x'.repeat(2000) },
        { replayOf: 'not:an:id' },
      ];
      for (const overrides of badRecords) {
        const error = await h.index.upsert(sampleSummary(tenantId, 'e1', overrides)).catch((e: unknown) => e);
        expect(error instanceof InvalidRecordError || error instanceof InvalidIdError, JSON.stringify(overrides)).toBe(true);
      }
      const badLists: ListExecutionsOptions[] = [
        { tenantId, limit: 0 },
        { tenantId, limit: 1001 },
        { tenantId, limit: 2.5 },
        { tenantId, cursor: '' },
        { tenantId, cursor: 'not a cursor' },
        { tenantId, cursor: Buffer.from('12:a:b').toString('base64url') },
        { tenantId, cursor: Buffer.from('x:e1').toString('base64url') },
        { tenantId, status: 99 as ExecutionStatus },
        { tenantId, createdFromMs: Number.NaN },
        { tenantId, createdToMs: 1.5 },
      ];
      for (const options of badLists) await expect(h.index.list(options), JSON.stringify(options)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(h.index.list({ tenantId, workflowId: 'a:b' })).rejects.toBeInstanceOf(InvalidIdError);
      expect(await h.rawDump()).toBe(before);
      expect(ids((await h.index.list({ tenantId, limit: 1000 })).items)).toEqual(['kept']);
    });
  });
}
