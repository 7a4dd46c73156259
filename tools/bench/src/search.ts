import { randomUUID } from 'node:crypto';
import { SEED_EXAMPLE_INPUT, seedExampleWorkflow } from '@flunq/redis-store/testing';
import { DefinitionCache, EngineClient, ExecutionAdvancer, indexTermsOf, searchDocument, searchPlanOf, withAllTasks, type StepScheduler, type TaskRunner } from '@flunq/engine';
import { matches, parseQuery, type QueryDocument, type QueryNode } from '@flunq/query';
import { RedisContentIndex, RedisDefinitionStore, RedisIoStore, type IndexTerms } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import { benchRedis, memoryUsage, ratio } from './bench-redis.js';
import { rng } from './data.js';

const TENANT = 'bench';
const SEED_USER = 'test-user-456';
/** Sentinels of the recorded seed execution, replaced per generated execution. */
const SEED_VALUE = 123;
const SEED_PLAN = 'pro';
const SEED_VISITS = 4711;
const PLANS = ['free', 'pro', 'team', 'enterprise'] as const;
const VALUES = 10_000;
const BASE_MS = Date.UTC(2026, 10, 1);

/** The seed's example input (its values named above) and workflow. */
const SEED_INPUT = { ...SEED_EXAMPLE_INPUT, user_id: SEED_USER, test_data: { nested: { value: SEED_VALUE, array: [1, 2, 3] } } };
const SEED_WORKFLOW = seedExampleWorkflow();

/** The `call: http` answers with a user object, as the seed's test API would. */
const USER_API: TaskRunner = {
  run: () => {
    const now = Date.now();
    return Promise.resolve({
      ok: true,
      output: { user: { id: SEED_USER, name: 'Test User', email: `${SEED_USER}@example.com`, plan: SEED_PLAN, visits: SEED_VISITS } },
      startedAtMs: now - 3,
      completedAtMs: now,
    });
  },
};
const NO_SCHEDULING: StepScheduler = { schedule: () => Promise.resolve() };

/** Nearest-rank percentile of ms timings. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const sleep = (delayMs: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, delayMs));

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Every key matching `pattern` (SCAN), with its MEMORY USAGE, pipelined. */
async function keyMemory(redis: Redis, pattern: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const replies = (await pipeline.exec()) ?? [];
    batch.forEach((key, i) => out.set(key, Number(replies[i]?.[1] ?? 0)));
  } while (cursor !== '0');
  return out;
}

/** MEMORY USAGE of index keys grouped by kind (`search:<kind>:...`): bytes and key count. */
function byKind(memory: Map<string, number>, keyPrefix: string): Map<string, { bytes: number; keys: number }> {
  const kinds = new Map<string, { bytes: number; keys: number }>();
  for (const [key, bytes] of memory) {
    const kind = key.slice(keyPrefix.length).split(':')[1] ?? '?';
    const entry = kinds.get(kind) ?? { bytes: 0, keys: 0 };
    entry.bytes += bytes;
    entry.keys++;
    kinds.set(kind, entry);
  }
  return kinds;
}

const sum = (memory: Map<string, number>): number => [...memory.values()].reduce((a, b) => a + b, 0);

/** A deterministic UUID-shaped execution id (the engine's ids are UUIDs). */
function uuidFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The template with the seed execution's sentinels replaced by one execution's values. */
function vary(value: unknown, user: string, nested: number, plan: string, visits: number): unknown {
  if (typeof value === 'string') return value === SEED_PLAN ? plan : value.replaceAll(SEED_USER, user);
  if (value === SEED_VALUE) return nested;
  if (value === SEED_VISITS) return visits;
  if (Array.isArray(value)) return value.map((v) => vary(v, user, nested, plan, visits));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, vary(v, user, nested, plan, visits)]));
  return value;
}

const userName = (u: number): string => `test-user-${u}`;

interface Corpus {
  readonly ids: string[];
  readonly user: Uint16Array;
  readonly value: Uint16Array;
  readonly plan: Uint8Array;
  document(i: number): QueryDocument;
}

function corpus(template: QueryDocument, n: number, users: number): Corpus {
  const next = rng(6);
  const ids: string[] = [];
  const user = new Uint16Array(n);
  const value = new Uint16Array(n);
  const plan = new Uint8Array(n);
  const visits = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    ids.push(uuidFrom(next));
    user[i] = Math.floor(next() * users);
    value[i] = Math.floor(next() * VALUES);
    plan[i] = Math.floor(next() * PLANS.length);
    visits[i] = Math.floor(next() * 1000);
  }
  return {
    ids,
    user,
    value,
    plan,
    document: (i) => ({ ...(vary(template, userName(user[i] ?? 0), value[i] ?? 0, PLANS[plan[i] ?? 0] ?? 'free', visits[i] ?? 0) as QueryDocument), created: BASE_MS + i * 1000 }),
  };
}

/** Runs `work(i)` for i in 0..n-1, at most `concurrency` at a time. */
async function pool(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** One real seed execution through the engine (EngineClient + ExecutionAdvancer, RedisContentIndex as `search`): its data keys and its index keys. */
async function recordSeedExecution(url: string, redis: Redis, keyPrefix: string) {
  const tenantId = `seed-${randomUUID().slice(0, 8)}`;
  const store = new RedisIoStore({ redis: url, keyPrefix });
  const definitions = new RedisDefinitionStore({ redis: url, keyPrefix });
  const search = new RedisContentIndex({ redis: url, keyPrefix });
  const serializer = createPayloadSerializer();
  try {
    const client = new EngineClient({ store, definitions, scheduler: NO_SCHEDULING, search });
    const advancer = new ExecutionAdvancer({ store, definitions: new DefinitionCache(definitions), runner: USER_API, scheduler: NO_SCHEDULING, search });
    await client.registerDefinition(tenantId, SEED_WORKFLOW);
    const { executionId } = await client.startExecution({ tenantId, workflowId: 'simple-test-workflow', input: SEED_INPUT });
    let status = 'running';
    for (let round = 0; status !== 'completed' && round < 100; round++) {
      ({ status } = await advancer.advance(executionId));
      if (status === 'running') await sleep(60); // the wait task
    }
    if (status !== 'completed') throw new Error(`the seed execution ended ${status}`);
    const state = await store.readState(executionId);
    if (!state) throw new Error('the seed execution has no state');
    const document = searchDocument(await withAllTasks(store, executionId, state), serializer);
    const found = await search.search(tenantId, searchPlanOf(parseQuery(`input.user_id = "${SEED_USER}" AND status = COMPLETED`)));
    if (found.ids.join() !== executionId) throw new Error(`the engine did not index the seed execution: ${JSON.stringify(found)}`);
    const data = await memoryUsage(redis, [store.keys.state(executionId), store.keys.events(executionId)]);
    const searchKeys = await keyMemory(redis, `${keyPrefix}search:*`);
    const other = [...(await keyMemory(redis, `${keyPrefix}*`)).keys()].filter((key) => !searchKeys.has(key) && key !== store.keys.state(executionId) && key !== store.keys.events(executionId));
    return {
      executionId,
      document,
      terms: indexTermsOf(document),
      data,
      stateBytes: (await redis.strlen(store.keys.state(executionId))) as number,
      events: await redis.xlen(store.keys.events(executionId)),
      index: sum(searchKeys),
      indexKinds: byKind(searchKeys, keyPrefix),
      indexBytes: await search.indexBytes(tenantId, executionId),
      other: other.map((key) => key.slice(keyPrefix.length)),
    };
  } finally {
    await Promise.all([store.close(), definitions.close(), search.close()]);
  }
}

interface Shape {
  readonly label: string;
  /** The query text of sample k. */
  query(k: number): string;
  /** The ids it must answer (from the generator's parameters). */
  expected(k: number): Set<number>;
  readonly samples: number;
}

const termBytes = (terms: IndexTerms) => ({
  eq: terms.eq.reduce((a, t) => a + Buffer.byteLength(t), 0),
  has: terms.has.reduce((a, t) => a + Buffer.byteLength(t), 0),
});

/**
 * Content search (issue #6): `GET /executions?q=` answered from the Redis content index
 * (parseQuery + searchPlanOf + RedisContentIndex.search) over N seed-like executions of one
 * tenant, beside scan-and-filter (SCAN + MGET of every execution's search document as JSON,
 * `matches` in Node) of the same data in the same run; index memory per execution beside the
 * data of one real seed execution recorded through the engine.
 */
export async function runSearch(
  n = Number(process.env['BENCH_SEARCH_N'] ?? 100_000),
  users = Number(process.env['BENCH_SEARCH_USERS'] ?? 10_000),
  samples = Number(process.env['BENCH_SEARCH_SAMPLES'] ?? 200),
  otherSamples = Number(process.env['BENCH_SEARCH_OTHER_SAMPLES'] ?? 50),
  scans = Number(process.env['BENCH_SEARCH_SCANS'] ?? 3),
  concurrency = Number(process.env['BENCH_SEARCH_CONCURRENCY'] ?? 256),
): Promise<string[]> {
  const env = await benchRedis();
  const keyPrefix = `bench-${randomUUID().slice(0, 8)}:`;
  const dataPrefix = `${keyPrefix}doc:{${TENANT}}:`;
  // The baseline's data in a database of its own, so its SCAN walks only the documents.
  const data = new Redis(env.url, { db: 1, enableAutoPipelining: true });
  const index = new RedisContentIndex({ redis: env.redis, keyPrefix });
  try {
    // 1. One real seed execution: the template of the N, and the memory of data vs index.
    const seed = await recordSeedExecution(env.url, env.redis, `${keyPrefix}seed-${randomUUID().slice(0, 8)}:`);
    if (process.env['BENCH_SEARCH_DUMP']) console.log(JSON.stringify(seed.document));
    console.log(`seed execution ${seed.executionId}: ${seed.events} events; data ${seed.data} B, index ${seed.index} B (MEMORY USAGE)`);

    // 2. N variants of its search document: user over `users`, a number over 0..9,999, the plan of 4, visits.
    const docs = corpus(seed.document, n, users);
    let docBytes = 0;
    let termCount = 0;
    const written = await timed(() =>
      pool(n, concurrency, async (i) => {
        const document = docs.document(i);
        const id = docs.ids[i] ?? '';
        const json = JSON.stringify(document);
        docBytes += Buffer.byteLength(json);
        const terms = indexTermsOf(document);
        termCount += terms.eq.length + terms.num.length + terms.str.length + terms.has.length;
        await Promise.all([index.replace(TENANT, id, document.created, terms), data.set(`${dataPrefix}${id}`, json)]);
      }),
    );
    console.log(`wrote ${count(n)} executions (index + JSON documents) in ${(written.ms / 1000).toFixed(1)} s, ${count(termCount / n)} terms each`);

    // The same answer from the index (every page) and from scan-and-filter.
    const searchIds = async (query: string, limit: number, all: boolean): Promise<string[]> => {
      const plan = searchPlanOf(parseQuery(query));
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await index.search(TENANT, plan, { limit, ...(cursor === undefined ? {} : { cursor }) });
        ids.push(...page.ids);
        cursor = all ? page.nextCursor : undefined;
      } while (cursor !== undefined);
      return ids;
    };
    const scanAndFilter = async (query: string): Promise<string[]> => {
      const node: QueryNode = parseQuery(query);
      const found: string[] = [];
      const reads: Promise<void>[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await data.scan(cursor, 'MATCH', `${dataPrefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length === 0) continue;
        reads.push(
          data.mget(...keys).then((values) => {
            keys.forEach((key, i) => {
              const json = values[i];
              if (json && matches(node, JSON.parse(json) as QueryDocument)) found.push(key.slice(dataPrefix.length));
            });
          }),
        );
      } while (cursor !== '0');
      await Promise.all(reads);
      return found;
    };
    const idsOf = (positions: Set<number>): string => [...positions].map((i) => docs.ids[i] ?? '').sort().join();
    const where = (test: (i: number) => boolean): Set<number> => {
      const out = new Set<number>();
      for (let i = 0; i < n; i++) if (test(i)) out.add(i);
      return out;
    };

    const draw = rng(7);
    const sampledUsers = Array.from({ length: Math.max(samples, otherSamples) }, () => Math.floor(draw() * users));
    const sampled = (k: number): number => sampledUsers[k] ?? 0;
    const valueOf = (i: number): number => docs.value[i] ?? 0;
    const goalShape: Shape = {
      label: '`input.user_id = "test-user-<u>"` (the goal)',
      query: (k) => `input.user_id = "${userName(sampled(k))}"`,
      expected: (k) => where((i) => docs.user[i] === sampled(k)),
      samples,
    };
    const shapes: Shape[] = [
      goalShape,
      {
        label: '`input.test_data.nested.value < <v>` (v 90..109: ~1%)',
        query: (k) => `input.test_data.nested.value < ${90 + (k % 20)}`,
        expected: (k) => where((i) => valueOf(i) < 90 + (k % 20)),
        samples: otherSamples,
      },
      {
        label: '`input.test_data.nested.value >= <v> AND input.test_data.nested.value < <v+100>` (1%, two ranges)',
        query: (k) => `input.test_data.nested.value >= ${k * 100} AND input.test_data.nested.value < ${k * 100 + 100}`,
        expected: (k) => where((i) => valueOf(i) >= k * 100 && valueOf(i) < k * 100 + 100),
        samples: Math.min(otherSamples, 20),
      },
      {
        label: '`input.user_id = "test-user-<u>" AND task.fetchUser.output.user.plan = "team"` (eq AND eq)',
        query: (k) => `input.user_id = "${userName(sampled(k))}" AND task.fetchUser.output.user.plan = "team"`,
        expected: (k) => where((i) => docs.user[i] === sampled(k) && docs.plan[i] === PLANS.indexOf('team')),
        samples: otherSamples,
      },
      {
        label: '`task.fetchUser.output.user.plan = "<p>" AND input.test_data.nested.value < 1000` (25% AND 10%)',
        query: (k) => `task.fetchUser.output.user.plan = "${PLANS[k % PLANS.length] ?? 'free'}" AND input.test_data.nested.value < 1000`,
        expected: (k) => where((i) => docs.plan[i] === k % PLANS.length && valueOf(i) < 1000),
        samples: Math.min(otherSamples, 20),
      },
    ];

    // Warm up (scripts loaded, JIT) on both paths.
    for (let k = 0; k < 5; k++) await searchIds(goalShape.query(samples - 1 - k), 100, true);
    await scanAndFilter(goalShape.query(0));

    const rows: string[] = [];
    const goal = { p95: Number.NaN, baseP95: Number.NaN, checked: '' };
    for (const shape of shapes) {
      const pageTimes: number[] = [];
      const allTimes: number[] = [];
      let hits = 0;
      let checked = 0;
      for (let k = 0; k < shape.samples; k++) {
        const query = shape.query(k);
        const page = await timed(() => searchIds(query, 100, false));
        pageTimes.push(page.ms);
        const every = await timed(() => searchIds(query, 1000, true));
        allTimes.push(every.ms);
        const expected = shape.expected(k);
        if ([...every.value].sort().join() !== idsOf(expected)) throw new Error(`the index answered ${every.value.length} ids, expected ${expected.size}, for ${query}`);
        if (page.value.length !== Math.min(100, expected.size)) throw new Error(`the first page of ${query} has ${page.value.length} ids`);
        hits += expected.size;
        checked++;
      }
      const baseTimes: number[] = [];
      let baseEqual = 0;
      const baseRuns = Math.min(scans, shape.samples);
      for (let k = 0; k < baseRuns; k++) {
        const query = shape.query(k);
        const scanned = await timed(() => scanAndFilter(query));
        baseTimes.push(scanned.ms);
        if ([...scanned.value].sort().join() === [...(await searchIds(query, 1000, true))].sort().join()) baseEqual++;
      }
      if (baseEqual !== baseRuns) throw new Error(`scan-and-filter and the index differ for ${baseRuns - baseEqual} of ${baseRuns} queries of ${shape.label}`);
      const p = (values: number[]): string => `${ms(percentile(values, 50))} / **${ms(percentile(values, 95))}** / ${ms(Math.max(...values))}`;
      const allP95 = percentile(allTimes, 95);
      const baseP95 = percentile(baseTimes, 95);
      rows.push(
        `| ${shape.label} | ${shape.samples} | ${count(hits / shape.samples)} | ${p(pageTimes)} | ${p(allTimes)} | ${baseRuns}: ${baseTimes.map((t) => count(t)).join(' / ')} | **${ratio(baseP95, allP95)}** | ${checked}/${shape.samples}; ${baseEqual}/${baseRuns} |`,
      );
      if (shape === goalShape) Object.assign(goal, { p95: allP95, baseP95, checked: `${checked}/${shape.samples} against the generator, ${baseEqual}/${baseRuns} against scan-and-filter` });
    }

    // 3. Memory at scale: every index key of the tenant, and the baseline's documents.
    const indexMemory = await keyMemory(env.redis, `${keyPrefix}search:*`);
    const docMemory = await keyMemory(data, `${dataPrefix}*`);
    const kinds = byKind(indexMemory, keyPrefix);
    const kindRows = (memory: Map<string, { bytes: number; keys: number }>, per: number) =>
      [...memory].sort((a, b) => b[1].bytes - a[1].bytes).map(([kind, { bytes, keys }]) => `${kind} ${count(bytes / per)} B (${count(keys)} key${keys === 1 ? '' : 's'})`).join(', ');
    const indexPer = sum(indexMemory) / n;
    const docPer = sum(docMemory) / n;
    const seedTerms = seed.terms;
    const seedTermBytes = termBytes(seedTerms);
    const goalMet = goal.p95 < 20 && goal.baseP95 / goal.p95 >= 50;

    return [
      `| setup | value |`,
      '|---|---|',
      `| executions (one tenant) | ${count(n)}: variants of one real seed execution's search document; \`input.user_id\` over ${count(users)} users, \`input.test_data.nested.value\` 0..9,999, \`user.plan\` of 4, \`user.visits\` 0..999 |`,
      `| terms per execution (\`indexTermsOf\`) | ${count(termCount / n)}: ${seedTerms.eq.length} eq, ${seedTerms.num.length} num, ${seedTerms.str.length} str, ${seedTerms.has.length} has |`,
      `| written (\`replace\` + \`SET\` of the JSON document, ${concurrency} at a time) | ${(written.ms / 1000).toFixed(1)} s: ${count(n / (written.ms / 1000))} executions/s |`,
      `| baseline data | each search document as JSON, \`SET\` per execution in db 1 (${count(docBytes / n)} B each); scan-and-filter = SCAN (COUNT 1,000) + MGET + \`JSON.parse\` + \`matches\` |`,
      '',
      '| query (parse + plan + search) | calls | matches (mean) | first page, limit 100: p50 / p95 / max ms | every match (pages of 1,000): p50 / p95 / max ms | scan-and-filter, ms per run | p95 ratio | answers equal (generator; scan) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Goal, input-field equality over ${count(n)} executions: p95 < 20 ms: **${ms(goal.p95)} ms**; >= 50x faster than scan-and-filter (p95 / p95, same run): ` +
        `**${ratio(goal.baseP95, goal.p95)}**; answers ${goal.checked}. ${goalMet ? 'Met.' : 'Not met.'}`,
      '',
      '| memory (MEMORY USAGE, SAMPLES 0) | per execution | of which |',
      '|---|---|---|',
      `| index, ${count(n)} executions (every \`search:*\` key / N) | **${count(indexPer)} B** | ${kindRows(kinds, n)} |`,
      `| baseline data, ${count(n)} executions (JSON documents / N) | ${count(docPer)} B | |`,
      `| seed execution, data: \`state\` + \`events\` keys | **${count(seed.data)} B** | state ${count(seed.stateBytes)} B (STRLEN), ${seed.events} events |`,
      `| seed execution, index alone (its own tenant: every set is its own) | ${count(seed.index)} B | ${kindRows(seed.indexKinds, 1)}; \`indexBytes\` (payload) ${count(seed.indexBytes)} B |`,
      `| seed execution, its terms | ${seedTerms.eq.length + seedTerms.num.length + seedTerms.str.length + seedTerms.has.length} | eq ${seedTerms.eq.length} (${count(seedTermBytes.eq)} B of keys), has ${seedTerms.has.length} (${count(seedTermBytes.has)} B), num ${seedTerms.num.length}, str ${seedTerms.str.length} |`,
      '',
      `Index per execution at ${count(n)}: ${ratio(indexPer, seed.data)} the seed execution's data (${count(indexPer)} vs ${count(seed.data)} B); alone: ${ratio(seed.index, seed.data)}. ` +
        `Smaller than the data: **${indexPer < seed.data ? 'yes' : 'no'}** at scale, **${seed.index < seed.data ? 'yes' : 'no'}** alone. Other keys of the seed execution: ${seed.other.join(', ') || 'none'}.`,
    ];
  } finally {
    // The private server goes away with its data; on REDIS_URL, drop this run's keys.
    if (process.env['REDIS_URL']) {
      for (const [client, pattern] of [
        [env.redis, `${keyPrefix}*`],
        [data, `${dataPrefix}*`],
      ] as const) {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
          cursor = next;
          if (keys.length) await client.unlink(...keys);
        } while (cursor !== '0');
      }
    }
    data.disconnect();
    await env.close();
  }
}
