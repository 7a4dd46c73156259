import fc from 'fast-check';
import { matches, parseQuery, printQuery, type QueryDocument, type QueryNode } from '@flunq/query';
import { MemoryContentIndex, RedisContentIndex, type ContentIndex, type SearchPlan } from '@flunq/redis-store';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { indexTermsOf, searchPlanOf } from '../src/search/query-plan.js';
import { rebuildSearchIndex } from '../src/search/search-indexer.js';
import { createPayloadSerializer } from '@flunq/serializer';
import { after, memoryHarness, redisHarness, ScriptedRunner, SEED_INPUT, SEED_WORKFLOW } from './engine-harness.js';
import { DefinitionCache } from '../src/execution/definitions.js';
import { ExecutionAdvancer } from '../src/execution/advancer.js';

/** The index's methods bound to it (a spread of a class instance would lose them). */
const bind = (index: ContentIndex): ContentIndex => ({ replace: index.replace.bind(index), remove: index.remove.bind(index), removeMany: index.removeMany.bind(index), search: index.search.bind(index), indexBytes: index.indexBytes.bind(index), close: index.close.bind(index) });

const TENANT = 'tenant-s';
const USERS = ['u-1', 'u-2', 'test-user-456', 'ada'];
const RESULTS = ['ok', 'retry', 'failed', 'ok-later'];
const STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];

/** A deterministic family of executions: small vocabularies, so random queries match some and miss others. */
function documents(count: number): { id: string; doc: QueryDocument }[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const input: Record<string, unknown> = { user_id: USERS[next(USERS.length)], n: next(50), tags: [USERS[next(4)], 'x'] };
    if (next(3) === 0) delete input['user_id'];
    const doc: QueryDocument = {
      status: STATUSES[next(STATUSES.length)]!,
      workflow: next(2) ? 'orders' : 'refunds',
      created: 1_700_000_000_000 + i * 1000,
      input,
      output: { result: RESULTS[next(RESULTS.length)], metrics: { errors: next(4) } },
      variables: next(2) ? { region: next(2) ? 'eu' : 'us' } : {},
      tasks: { fetch: { input: { id: next(10) }, output: { count: next(5) } } },
    };
    return { id: `ex-${String(i).padStart(5, '0')}`, doc };
  });
}

const PATHS: { path: string[]; values: fc.Arbitrary<string | number> }[] = [
  { path: ['input', 'user_id'], values: fc.constantFrom(...USERS) },
  { path: ['input', 'n'], values: fc.integer({ min: -1, max: 51 }) },
  { path: ['input', 'tags'], values: fc.constantFrom(...USERS, 'x') },
  { path: ['output', 'result'], values: fc.constantFrom(...RESULTS, 'o') },
  { path: ['output', 'metrics', 'errors'], values: fc.integer({ min: 0, max: 4 }) },
  { path: ['variables', 'region'], values: fc.constantFrom('eu', 'us') },
  { path: ['task', 'fetch', 'output', 'count'], values: fc.integer({ min: 0, max: 5 }) },
  { path: ['status'], values: fc.constantFrom(...STATUSES) },
  { path: ['workflow'], values: fc.constantFrom('orders', 'refunds') },
];

const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.constantFrom(...PATHS).chain(({ path, values }) =>
    fc.tuple(values, fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '^=')).map(([value, op]): QueryNode => {
      if (op === '^=') return { type: 'cmp', path, op, value: String(value).slice(0, 2) };
      if (['<', '<=', '>', '>='].includes(op) && typeof value !== 'number') return { type: 'cmp', path, op: '=', value };
      return { type: 'cmp', path, op: op as '=', value };
    }),
  ),
  fc.constantFrom(...PATHS).map(({ path }): QueryNode => ({ type: 'exists', path })),
);
const query: fc.Arbitrary<QueryNode> = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children): QueryNode => ({ type: 'and', children })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children): QueryNode => ({ type: 'or', children })),
    tie('node').map((child): QueryNode => ({ type: 'not', child })),
  ),
})).node;

async function searchAll(index: ContentIndex, plan: SearchPlan): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await index.search(TENANT, plan, { limit: 1000, ...(cursor ? { cursor } : {}) });
    ids.push(...page.ids);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

describe.each([
  ['memory', 2_000, 300, () => new MemoryContentIndex()],
  ['a real Redis', 2_000, 120, () => new RedisContentIndex({ redis, keyPrefix: `search-${randomUUID()}:` })],
])('every query over %s answers as a brute-force filter of the same executions', (_name, count, runs, make) => {
  test(`${count} executions, random queries`, async () => {
    const index = make();
    const docs = documents(count);
    for (const { id, doc } of docs) await index.replace(TENANT, id, doc.created, indexTermsOf(doc));
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        // Through the text form too: what io-api receives.
        const parsed = parseQuery(printQuery(q));
        const expected = docs.filter(({ doc }) => matches(parsed, doc)).map(({ id }) => id).sort();
        const actual = (await searchAll(index, searchPlanOf(parsed))).sort();
        expect(actual).toEqual(expected);
        if (expected.length > 0 && expected.length < count) nonEmpty++;
      }),
      { numRuns: runs },
    );
    expect(nonEmpty).toBeGreaterThan(runs / 4);
  }, 120_000);
});

describe.each([
  ['memory', () => memoryHarness()],
  ['a real Redis', () => redisHarness(inject('redisUrl'))],
])('executions are searchable by their content on %s', (_name, make) => {
  test('by input from the start, and by output and task values once ended; a reindex answers as the live index', async () => {
    const h = make();
    await h.client.registerDefinition('t', SEED_WORKFLOW.replace('wait: PT0.05S', 'wait: PT0S'));
    const { executionId } = await h.client.startExecution({ tenantId: 't', workflowId: 'simple-test-workflow', input: SEED_INPUT });
    const find = async (q: string) => (await h.search.search('t', searchPlanOf(parseQuery(q)))).ids;
    expect(await find('input.user_id = test-user-456 AND status = RUNNING')).toEqual([executionId]);
    expect(await find('input.test_data.nested.value >= 100')).toEqual([executionId]);
    await h.advancer(new ScriptedRunner(() => after(1, { user: { id: 'u-9', visits: 12 } }))).advance(executionId);
    const queries = ['status = COMPLETED', 'output.result ^= "workflow completed"', 'task.fetchUser.output.user.visits > 10', 'NOT exists(output.error)', 'input.user_id = nobody'];
    const live = await Promise.all(queries.map(find));
    expect(live).toEqual([[executionId], [executionId], [executionId], [executionId], []]);
    // Derived data: rebuilt from the stored states, the index answers the same.
    await h.search.remove('t', executionId);
    expect(await find('status = COMPLETED')).toEqual([]);
    expect(await rebuildSearchIndex({ search: h.search, executions: h.index, store: h.store, serializer: createPayloadSerializer() }, 't')).toBe(1);
    expect(await Promise.all(queries.map(find))).toEqual(live);
    await h.close();
  });

  test("a task's input and output are searchable as soon as it ends, while the execution still runs", async () => {
    const h = make();
    await h.client.registerDefinition('t', SEED_WORKFLOW.replace('wait: PT0.05S', 'wait: PT1H'));
    const { executionId } = await h.client.startExecution({ tenantId: 't', workflowId: 'simple-test-workflow', input: SEED_INPUT });
    const find = async (q: string) => (await h.search.search('t', searchPlanOf(parseQuery(q)))).ids;
    expect(await find('task.fetchUser.output.user.visits > 10')).toEqual([]);
    // advances up to the hour-long wait: fetchUser has ended, the execution waits
    await h.advancer(new ScriptedRunner(() => after(1, { user: { id: 'u-9', visits: 12 } }))).advance(executionId);
    expect(await find('task.fetchUser.output.user.visits > 10 AND status = RUNNING')).toEqual([executionId]);
    expect(await find('task.fetchUser.input.user_id = test-user-456')).toEqual([executionId]);
    expect(await find('exists(task.finalize.output)')).toEqual([]);
    await h.close();
  });

  test("with a search delay, a task's end reaches the index shortly after, off the step; the end at once", async () => {
    const h = make();
    let replaces = 0;
    const counting: ContentIndex = { ...bind(h.search), replace: (...args) => ((replaces += 1), h.search.replace(...args)) };
    await h.client.registerDefinition('t', SEED_WORKFLOW.replace('wait: PT0.05S', 'wait: PT1H'));
    const { executionId } = await h.client.startExecution({ tenantId: 't', workflowId: 'simple-test-workflow', input: SEED_INPUT });
    const find = async (q: string) => (await h.search.search('t', searchPlanOf(parseQuery(q)))).ids;
    const advancer = new ExecutionAdvancer({ store: h.store, definitions: new DefinitionCache(h.definitions), runner: new ScriptedRunner(() => after(1, { user: { id: 'u-9', visits: 12 } })), scheduler: h.scheduler, index: h.index, search: counting, searchDelayMs: 100 });
    await advancer.advance(executionId);
    // two task ends (initialize, fetchUser) before the wait: not indexed within the step
    expect(replaces).toBe(0);
    const deadline = Date.now() + 5000;
    while ((await find('task.fetchUser.output.user.visits > 10')).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await find('task.fetchUser.output.user.visits > 10 AND status = RUNNING')).toEqual([executionId]);
    expect(replaces).toBe(1); // coalesced
    await h.close();
  });
});
