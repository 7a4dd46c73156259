import fc from 'fast-check';
import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidArgumentError, InvalidIdError, StoreError } from '../errors/store-errors.js';
import type { ContentIndex, IndexTerms, SearchOptions, SearchPlan } from '../search/content-index.js';
import type { MemoryContentIndexDump } from '../search/memory-content-index.js';
import { keysUnder } from './key-scan.js';

/** What the content-index contract suite needs from an adapter besides the port: raw access. */
export interface ContentIndexHarness {
  readonly index: ContentIndex;
  /** Everything the index holds (every key, type and value) as canonical text, to compare before and after. */
  rawDump(): Promise<string>;
  close(): Promise<void>;
}

/** One key as the content index stores it (zset scores as JS number text). */
export type SearchDumpedKey =
  | { readonly key: string; readonly type: 'string'; readonly value: string }
  | { readonly key: string; readonly type: 'set'; readonly members: string[] }
  | { readonly key: string; readonly type: 'hash'; readonly fields: [string, string][] }
  | { readonly key: string; readonly type: 'zset'; readonly members: [string, string][] }
  | { readonly key: string; readonly type: 'other'; readonly redisType: string };

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical text of dumped keys (sorted keys and members). */
export function canonicalSearchDump(keys: SearchDumpedKey[]): string {
  return JSON.stringify([...keys].sort((a, b) => byText(a.key, b.key)));
}

/** Every key of a {@link MemoryContentIndex}, in the format of {@link dumpRedisSearchKeys}. */
export function dumpMemoryContentIndex(dump: MemoryContentIndexDump): SearchDumpedKey[] {
  return [
    ...[...dump.strings].map(([key, value]): SearchDumpedKey => ({ key, type: 'string', value })),
    ...[...dump.hashes].map(([key, hash]): SearchDumpedKey => ({ key, type: 'hash', fields: [...hash].sort(([a], [b]) => byText(a, b)) })),
    ...[...dump.sets].map(([key, set]): SearchDumpedKey => ({ key, type: 'set', members: [...set].sort(byText) })),
    ...[...dump.zsets].map(([key, set]): SearchDumpedKey => ({ key, type: 'zset', members: [...set].map(([m, s]): [string, string] => [m, String(s)]).sort(([a], [b]) => byText(a, b)) })),
  ];
}

/** Every key under `prefix` on a server or every master of a cluster, with its content (keys without the prefix). */
export async function dumpRedisSearchKeys(redis: Redis | Cluster, prefix: string): Promise<SearchDumpedKey[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) found.push(...(await keysUnder(node, prefix)));
  return Promise.all(
    found.map(async (key): Promise<SearchDumpedKey> => {
      const short = key.slice(prefix.length);
      const type = await redis.type(key);
      if (type === 'string') return { key: short, type, value: (await redis.get(key)) ?? '' };
      if (type === 'set') return { key: short, type, members: (await redis.smembers(key)).sort(byText) };
      if (type === 'hash') return { key: short, type, fields: Object.entries(await redis.hgetall(key)).sort(([a], [b]) => byText(a, b)) };
      if (type === 'zset') {
        const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
        const members: [string, string][] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) members.push([flat[i]!, String(Number(flat[i + 1]))]);
        return { key: short, type, members: members.sort(([a], [b]) => byText(a, b)) };
      }
      return { key: short, type: 'other', redisType: type };
    }),
  );
}

/**
 * Whether a dump holds any of the tenant's executions: records, segment documents, postings or text routes
 * (the tenant's counters, field numbers and segment spans stay: they are bookkeeping).
 */
export function holdsExecutions(dump: string, tenantId: string): boolean {
  return ['doc', 'ids', 'e', 'h', 'n', 's', 'r'].some((kind) => dump.includes(`search:${kind}:{${tenantId}}`));
}

let counter = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;
const BASE = Date.UTC(2024, 4, 1);

/** Terms with defaults, for tests. */
export function sampleTerms(overrides: Partial<IndexTerms> = {}): IndexTerms {
  return { eq: [], num: [], str: [], has: [], ...overrides };
}

/** Every page of a search, followed through its cursors. */
export async function searchAll(index: ContentIndex, tenantId: string, plan: SearchPlan, options: Omit<SearchOptions, 'cursor'> = {}): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await index.search(tenantId, plan, cursor === undefined ? options : { ...options, cursor });
    ids.push(...page.ids);
    cursor = page.nextCursor;
    if ((pages += 1) > 10_000) throw new Error('searchAll: too many pages');
  } while (cursor !== undefined);
  return ids;
}

/** One execution as a test wrote it. */
export interface WrittenExecution {
  readonly executionId: string;
  readonly createdAtMs: number;
  readonly terms: IndexTerms;
}

/** The plan's meaning over data the test wrote, by brute force: the expected result of every search. */
export function bruteForce(executions: readonly WrittenExecution[], plan: SearchPlan, options: { createdFromMs?: number; createdToMs?: number } = {}): string[] {
  const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
  const matches = (e: WrittenExecution, p: SearchPlan): boolean => {
    if ('and' in p) return p.and.every((c) => matches(e, c));
    if ('or' in p) return p.or.some((c) => matches(e, c));
    if ('not' in p) return !matches(e, p.not);
    if ('eq' in p) return e.terms.eq.includes(p.eq);
    if ('has' in p) return e.terms.has.includes(p.has);
    if ('all' in p) return true;
    if ('text' in p) return e.terms.str.some((t) => t.field === p.text.field && t.value === p.text.value);
    if ('prefix' in p) {
      const want = bytes(p.prefix.value);
      return e.terms.str.some((t) => t.field === p.prefix.field && bytes(t.value).subarray(0, want.length).equals(want) && bytes(t.value).length >= want.length);
    }
    const r = p.range;
    return e.terms.num.some(
      (t) =>
        t.field === r.field &&
        (r.min === undefined || (r.minExclusive ? t.value > r.min : t.value >= r.min)) &&
        (r.max === undefined || (r.maxExclusive ? t.value < r.max : t.value <= r.max)),
    );
  };
  return executions
    .filter((e) => (options.createdFromMs === undefined || e.createdAtMs >= options.createdFromMs) && (options.createdToMs === undefined || e.createdAtMs < options.createdToMs))
    .filter((e) => matches(e, plan))
    .sort((a, b) => b.createdAtMs - a.createdAtMs || Buffer.compare(bytes(b.executionId), bytes(a.executionId)))
    .map((e) => e.executionId);
}

// A small vocabulary, so random plans hit random executions often.
const EQ = ['["status","s","RUNNING"]', '["status","s","FAILED"]', '["input.vip","b",true]', '["input.name","s","Ada ✓"]'];
const NUM_FIELDS = ['input.amount', 'output.count'];
const STR_FIELDS = ['input.name', 'input.city'];
const STR_VALUES = ['', 'a', 'ab', 'abc', 'b', 'é', 'éa', 'Zürich', 'z'];
const HAS_FIELDS = ['input.amount', 'input.name', 'output'];
const NUMBERS = [-2.5, -1, 0, 1, 1.5, 2, 3, 1e6];

const termsArb: fc.Arbitrary<IndexTerms> = fc.record({
  eq: fc.subarray(EQ),
  num: fc.array(fc.record({ field: fc.constantFrom(...NUM_FIELDS), value: fc.constantFrom(...NUMBERS) }), { maxLength: 4 }),
  str: fc.array(fc.record({ field: fc.constantFrom(...STR_FIELDS), value: fc.constantFrom(...STR_VALUES) }), { maxLength: 3 }),
  has: fc.subarray(HAS_FIELDS),
});

const planArb: fc.Arbitrary<SearchPlan> = fc.letrec<{ plan: SearchPlan }>((tie) => ({
  plan: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...EQ, '["never","s","x"]').map((eq): SearchPlan => ({ eq })),
    fc.constantFrom(...HAS_FIELDS, 'absent').map((has): SearchPlan => ({ has })),
    fc.constant<SearchPlan>({ all: true }),
    fc
      .record(
        {
          field: fc.constantFrom(...NUM_FIELDS),
          min: fc.constantFrom(...NUMBERS, -3),
          max: fc.constantFrom(...NUMBERS, 4),
          minExclusive: fc.boolean(),
          maxExclusive: fc.boolean(),
        },
        { requiredKeys: ['field'] },
      )
      .map((range): SearchPlan => ({ range })),
    fc.record({ field: fc.constantFrom(...STR_FIELDS), value: fc.constantFrom(...STR_VALUES, 'abcd', 'Zü') }).map((prefix): SearchPlan => ({ prefix })),
    fc.record({ field: fc.constantFrom(...STR_FIELDS), value: fc.constantFrom(...STR_VALUES, 'abcd', 'Zü') }).map((text): SearchPlan => ({ text })),
    tie('plan').map((not): SearchPlan => ({ not })),
    fc.array(tie('plan'), { maxLength: 3 }).map((and): SearchPlan => ({ and })),
    fc.array(tie('plan'), { maxLength: 3 }).map((or): SearchPlan => ({ or })),
  ),
})).plan;

/**
 * The behaviour every {@link ContentIndex} adapter must have. Call inside a test file with a
 * factory for a fresh harness; the same suite runs against memory, Redis and a Redis Cluster.
 */
export function describeContentIndexContract(adapter: string, createHarness: () => Promise<ContentIndexHarness>, propertyRuns = 40): void {
  describe(`ContentIndex contract: ${adapter}`, () => {
    let h: ContentIndexHarness;
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    test('replace makes the index exactly the new terms: terms no longer held are removed; the same replace again changes nothing; remove removes everything', async () => {
      const t = uniqueId('tenant');
      const first = sampleTerms({
        eq: ['["status","s","RUNNING"]', '["input.vip","b",true]'],
        num: [{ field: 'input.amount', value: 10 }, { field: 'input.amount', value: 20 }],
        str: [{ field: 'input.name', value: 'Ada' }],
        has: ['input.amount', 'input.name'],
      });
      await h.index.replace(t, 'e1', BASE, first);
      await h.index.replace(t, 'e2', BASE + 1, sampleTerms({ eq: ['["status","s","RUNNING"]'] }));
      expect((await h.index.search(t, { eq: '["status","s","RUNNING"]' })).ids).toEqual(['e2', 'e1']);
      expect((await h.index.search(t, { range: { field: 'input.amount', min: 15 } })).ids).toEqual(['e1']);
      const dump = await h.rawDump();
      for (const key of ['doc', 'ids', 'seq', 'fields', 'spans', 'e', 'n', 's', 'h']) expect(dump).toContain(`search:${key}:{${t}}`);
      await h.index.replace(t, 'e1', BASE, first);
      expect(await h.rawDump()).toBe(dump);
      // the duplicate terms and the order of terms do not matter
      await h.index.replace(t, 'e1', BASE, { eq: [...first.eq].reverse(), num: [...first.num, ...first.num], str: first.str, has: [...first.has].reverse() });
      expect(await h.rawDump()).toBe(dump);
      const bytes = await h.index.indexBytes(t, 'e1');
      expect(bytes).toBeGreaterThan(100);
      expect(bytes).toBeLessThan(1000);

      await h.index.replace(t, 'e1', BASE, sampleTerms({ eq: ['["status","s","FAILED"]'], num: [{ field: 'input.amount', value: 20 }] }));
      expect((await h.index.search(t, { eq: '["status","s","RUNNING"]' })).ids).toEqual(['e2']);
      expect((await h.index.search(t, { eq: '["status","s","FAILED"]' })).ids).toEqual(['e1']);
      expect((await h.index.search(t, { eq: '["input.vip","b",true]' })).ids).toEqual([]);
      expect((await h.index.search(t, { range: { field: 'input.amount', max: 10 } })).ids).toEqual([]);
      expect((await h.index.search(t, { range: { field: 'input.amount', min: 20, max: 20 } })).ids).toEqual(['e1']);
      expect((await h.index.search(t, { prefix: { field: 'input.name', value: '' } })).ids).toEqual([]);
      expect((await h.index.search(t, { has: 'input.name' })).ids).toEqual([]);
      const after = await h.rawDump();
      expect(after).not.toContain(`search:s:{${t}}`); // emptied sets disappear
      expect(after).not.toContain(`search:h:{${t}}`);

      await h.index.remove(t, 'e1');
      await h.index.remove(t, 'e1');
      await h.index.remove(t, 'never-indexed');
      expect(await h.index.indexBytes(t, 'e1')).toBe(0);
      expect((await h.index.search(t, { all: true })).ids).toEqual(['e2']);
      expect((await h.index.search(t, { not: { eq: '["status","s","RUNNING"]' } })).ids).toEqual([]);
      await h.index.remove(t, 'e2');
      expect(holdsExecutions(await h.rawDump(), t)).toBe(false);
    });

    test('removeMany of a large batch (more members than one script call takes) leaves exactly the executions not removed', async () => {
      const t = uniqueId('tenant');
      const terms = (i: number): IndexTerms =>
        sampleTerms({ num: [{ field: 'n', value: i }], str: Array.from({ length: 40 }, (_, k) => ({ field: `f${k % 8}`, value: `text-${i}-${k}` })), has: ['n', 'f0'] });
      for (let i = 0; i < 300; i++) await h.index.replace(t, `x${i}`, BASE + i, terms(i));
      const removed = Array.from({ length: 290 }, (_, i) => `x${i}`);
      await h.index.removeMany(t, removed);
      expect(await searchAll(h.index, t, { all: true }, { limit: 100 })).toEqual(Array.from({ length: 10 }, (_, i) => `x${299 - i}`));
      expect((await h.index.search(t, { text: { field: 'f1', value: 'text-5-1' } })).ids).toEqual([]);
      expect((await h.index.search(t, { text: { field: 'f1', value: 'text-295-1' } })).ids).toEqual(['x295']);
      await h.index.removeMany(t, Array.from({ length: 300 }, (_, i) => `x${i}`));
      expect(holdsExecutions(await h.rawDump(), t)).toBe(false);
    });

    test('a replace with another createdAtMs moves the execution in the order', async () => {
      const t = uniqueId('tenant');
      await h.index.replace(t, 'a', BASE + 1, sampleTerms({ has: ['x'] }));
      await h.index.replace(t, 'b', BASE + 2, sampleTerms({ has: ['x'] }));
      expect((await h.index.search(t, { has: 'x' })).ids).toEqual(['b', 'a']);
      await h.index.replace(t, 'a', BASE + 3, sampleTerms({ has: ['x'] }));
      expect((await h.index.search(t, { has: 'x' })).ids).toEqual(['a', 'b']);
    });

    test('every plan node kind, NOT, nested and/or/not, and time bounds', async () => {
      const t = uniqueId('tenant');
      const data: WrittenExecution[] = [
        { executionId: 'e1', createdAtMs: BASE + 1, terms: sampleTerms({ eq: ['s=RUNNING'], num: [{ field: 'amt', value: -5 }, { field: 'amt', value: 100 }], str: [{ field: 'name', value: 'Ada Lovelace' }], has: ['amt', 'name'] }) },
        { executionId: 'e2', createdAtMs: BASE + 2, terms: sampleTerms({ eq: ['s=FAILED'], num: [{ field: 'amt', value: 50 }], str: [{ field: 'name', value: 'Alan' }, { field: 'city', value: 'Zürich' }], has: ['amt', 'name', 'city'] }) },
        { executionId: 'e3', createdAtMs: BASE + 3, terms: sampleTerms({ eq: ['s=RUNNING', 'vip'], num: [{ field: 'amt', value: 0.1 }], str: [{ field: 'name', value: 'ada' }], has: ['amt', 'name'] }) },
        { executionId: 'e4', createdAtMs: BASE + 3, terms: sampleTerms({ eq: ['s=COMPLETED'], num: [{ field: 'amt', value: 1e-9 }], str: [{ field: 'city', value: 'Zug' }], has: ['city'] }) },
        { executionId: 'e5', createdAtMs: BASE + 5, terms: sampleTerms() },
      ];
      for (const e of data) await h.index.replace(t, e.executionId, e.createdAtMs, e.terms);
      const cases: [SearchPlan, string[], SearchOptions?][] = [
        [{ all: true }, ['e5', 'e4', 'e3', 'e2', 'e1']],
        [{ eq: 's=RUNNING' }, ['e3', 'e1']],
        [{ eq: 'unknown' }, []],
        [{ has: 'city' }, ['e4', 'e2']],
        [{ range: { field: 'amt' } }, ['e4', 'e3', 'e2', 'e1']],
        [{ range: { field: 'amt', min: 50 } }, ['e2', 'e1']],
        [{ range: { field: 'amt', min: 50, minExclusive: true } }, ['e1']],
        [{ range: { field: 'amt', max: 0.1 } }, ['e4', 'e3', 'e1']],
        [{ range: { field: 'amt', max: 0.1, maxExclusive: true } }, ['e4', 'e1']],
        [{ range: { field: 'amt', min: 0, max: 60 } }, ['e4', 'e3', 'e2']], // e1 has -5 and 100: neither in range
        [{ range: { field: 'amt', min: 60, max: 0 } }, []],
        [{ range: { field: 'nothing', min: 0 } }, []],
        [{ prefix: { field: 'name', value: 'A' } }, ['e2', 'e1']],
        [{ prefix: { field: 'name', value: 'Ada' } }, ['e1']],
        [{ prefix: { field: 'name', value: 'ada' } }, ['e3']],
        [{ prefix: { field: 'name', value: '' } }, ['e3', 'e2', 'e1']],
        [{ prefix: { field: 'city', value: 'Zü' } }, ['e2']],
        [{ prefix: { field: 'city', value: 'Zu' } }, ['e4']],
        [{ prefix: { field: 'city', value: 'Zürich!' } }, []],
        [{ not: { eq: 's=RUNNING' } }, ['e5', 'e4', 'e2']],
        [{ not: { all: true } }, []],
        [{ not: { not: { has: 'city' } } }, ['e4', 'e2']],
        [{ and: [] }, ['e5', 'e4', 'e3', 'e2', 'e1']],
        [{ or: [] }, []],
        [{ and: [{ eq: 's=RUNNING' }, { eq: 'vip' }] }, ['e3']],
        [{ or: [{ eq: 's=FAILED' }, { eq: 'vip' }, { has: 'city' }] }, ['e4', 'e3', 'e2']],
        [{ and: [{ has: 'name' }, { not: { or: [{ eq: 'vip' }, { prefix: { field: 'name', value: 'Al' } }] } }] }, ['e1']],
        [{ or: [{ and: [{ eq: 's=RUNNING' }, { range: { field: 'amt', min: 99 } }] }, { not: { has: 'amt' } }] }, ['e5', 'e4', 'e1']], // has is its own term: e4 has amt values but not has amt
        [{ all: true }, ['e4', 'e3', 'e2'], { createdFromMs: BASE + 2, createdToMs: BASE + 5 }],
        [{ not: { eq: 's=FAILED' } }, ['e4', 'e3'], { createdFromMs: BASE + 2, createdToMs: BASE + 4 }],
        [{ all: true }, ['e5'], { createdFromMs: BASE + 4 }],
        [{ all: true }, ['e2', 'e1'], { createdToMs: BASE + 3 }],
        [{ all: true }, [], { createdFromMs: BASE + 3, createdToMs: BASE + 3 }],
      ];
      for (const [plan, want, options] of cases) {
        const label = JSON.stringify([plan, options]);
        expect((await h.index.search(t, plan, options)).ids, label).toEqual(want);
        expect(want, label).toEqual(bruteForce(data, plan, options));
        expect(await searchAll(h.index, t, plan, { ...options, limit: 1 }), label).toEqual(want);
      }
      expect(await h.rawDump()).not.toContain('search:tmp:');
    });

    test('text equality matches whole texts only, by bytes', async () => {
      const t = uniqueId('tenant');
      await h.index.replace(t, 'e1', BASE + 1, sampleTerms({ str: [{ field: 'name', value: 'Ada' }, { field: 'other', value: 'Ada' }] }));
      await h.index.replace(t, 'e2', BASE + 2, sampleTerms({ str: [{ field: 'name', value: 'Ada Lovelace' }, { field: 'name', value: '' }] }));
      await h.index.replace(t, 'e3', BASE + 3, sampleTerms({ str: [{ field: 'name', value: 'ada' }, { field: 'name', value: 'Adä' }] }));
      const cases: [SearchPlan, string[]][] = [
        [{ text: { field: 'name', value: 'Ada' } }, ['e1']],
        [{ text: { field: 'name', value: '' } }, ['e2']],
        [{ text: { field: 'name', value: 'Adä' } }, ['e3']],
        [{ text: { field: 'name', value: 'Ad' } }, []],
        [{ text: { field: 'absent', value: 'Ada' } }, []],
        [{ or: [{ text: { field: 'name', value: 'ada' } }, { text: { field: 'other', value: 'Ada' } }] }, ['e3', 'e1']],
      ];
      for (const [plan, want] of cases) expect((await h.index.search(t, plan)).ids, JSON.stringify(plan)).toEqual(want);
      // a text's other holders keep it findable when one goes (the Redis adapter routes text equalities by segment)
      await h.index.replace(t, 'e4', BASE + 4, sampleTerms({ str: [{ field: 'name', value: 'Ada' }] }));
      await h.index.remove(t, 'e1');
      expect((await h.index.search(t, { text: { field: 'name', value: 'Ada' } })).ids).toEqual(['e4']);
      await h.index.replace(t, 'e4', BASE + 4, sampleTerms({ str: [{ field: 'name', value: 'Bob' }] }));
      expect((await h.index.search(t, { text: { field: 'name', value: 'Ada' } })).ids).toEqual([]);
      expect((await h.index.search(t, { text: { field: 'name', value: 'Bob' } })).ids).toEqual(['e4']);
    });

    test('executions written out of time order, over many segments, still come newest first', async () => {
      const t = uniqueId('tenant');
      const data: WrittenExecution[] = [];
      for (let i = 0; i < 400; i++) {
        // document numbers follow the writes; times run against them in blocks, with ties
        const createdAtMs = BASE + (i % 2 === 0 ? 10_000 - i : i) * 3 - (i % 5);
        data.push({ executionId: `x${i}`, createdAtMs, terms: sampleTerms({ eq: [i % 4 === 0 ? 'four' : 'other'], num: [{ field: 'i', value: i }], has: ['x'] }) });
      }
      for (const e of data) await h.index.replace(t, e.executionId, e.createdAtMs, e.terms);
      for (const plan of [{ all: true }, { eq: 'four' }, { range: { field: 'i', min: 390 } }, { not: { eq: 'four' } }] as SearchPlan[]) {
        expect(await searchAll(h.index, t, plan, { limit: 37 }), JSON.stringify(plan)).toEqual(bruteForce(data, plan));
        expect((await h.index.search(t, plan, { limit: 5, createdFromMs: BASE + 900, createdToMs: BASE + 20_000 })).ids).toEqual(bruteForce(data, plan, { createdFromMs: BASE + 900, createdToMs: BASE + 20_000 }).slice(0, 5));
      }
    });

    test('pages through 300 executions in order with no duplicates or gaps while new ones are written at the head', async () => {
      const t = uniqueId('tenant');
      const data: WrittenExecution[] = [];
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 300; i++) {
        // groups of 7 share a timestamp, so pages end inside ties
        const e = { executionId: `exec-${i}`, createdAtMs: BASE + Math.floor(i / 7), terms: sampleTerms({ eq: [i % 3 === 0 ? 'three' : 'other'], has: ['x'] }) };
        data.push(e);
        writes.push(h.index.replace(t, e.executionId, e.createdAtMs, e.terms));
      }
      await Promise.all(writes);
      for (const plan of [{ has: 'x' }, { eq: 'three' }, { not: { eq: 'three' } }] as SearchPlan[]) {
        const want = bruteForce(data, plan);
        let inserted = 0;
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await h.index.search(t, plan, cursor === undefined ? { limit: 13 } : { limit: 13, cursor });
          expect(page.ids.length).toBeLessThanOrEqual(13);
          seen.push(...page.ids);
          cursor = page.nextCursor;
          await h.index.replace(t, `new-${(inserted += 1)}`, BASE + 1_000_000 + inserted, sampleTerms({ eq: ['three', 'other'], has: ['x'] }));
        } while (cursor !== undefined);
        expect(seen).toEqual(want);
        expect(new Set(seen).size).toBe(want.length);
        for (let i = 1; i <= inserted; i++) await h.index.remove(t, `new-${i}`);
      }
      expect(want300(await h.index.search(t, { has: 'x' }))).toEqual({ length: 100, more: true });
      const exact = await h.index.search(t, { eq: 'three' }, { limit: 100 });
      expect(exact).toEqual({ ids: bruteForce(data, { eq: 'three' }) });
      expect((await h.index.search(t, { has: 'x' }, { limit: 1000 })).ids).toHaveLength(300);
    });

    test('tenants are isolated, even for the same execution id and terms', async () => {
      const a = uniqueId('tenant-a');
      const b = uniqueId('tenant-b');
      await h.index.replace(a, 'shared', BASE, sampleTerms({ eq: ['x'], has: ['f'] }));
      await h.index.replace(a, 'only-a', BASE + 1, sampleTerms({ eq: ['x'] }));
      await h.index.replace(b, 'shared', BASE, sampleTerms({ eq: ['y'] }));
      expect((await h.index.search(a, { eq: 'x' })).ids).toEqual(['only-a', 'shared']);
      expect((await h.index.search(b, { eq: 'x' })).ids).toEqual([]);
      expect((await h.index.search(b, { not: { eq: 'y' } })).ids).toEqual([]);
      expect((await h.index.search(b, { all: true })).ids).toEqual(['shared']);
      expect((await h.index.search(b, { has: 'f' })).ids).toEqual([]);
      await h.index.remove(b, 'only-a');
      await h.index.remove(b, 'shared');
      expect((await h.index.search(a, { eq: 'x' })).ids).toEqual(['only-a', 'shared']);
      const page = await h.index.search(a, { all: true }, { limit: 1 });
      expect((await h.index.search(b, { all: true }, { cursor: page.nextCursor! })).ids).toEqual([]);
    });

    test('bad input is refused with typed errors and nothing is written', async () => {
      const t = uniqueId('tenant');
      await h.index.replace(t, 'kept', BASE, sampleTerms({ eq: ['x'], num: [{ field: 'n', value: 1 }] }));
      const before = await h.rawDump();
      for (const bad of ['a/b', 'a:b', 'a{b', 'a}b', '', 'a b', 'x'.repeat(300)]) {
        await expect(h.index.replace(bad, 'e1', BASE, sampleTerms())).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.remove(bad, 'kept')).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.removeMany(bad, ['kept'])).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.search(bad, { all: true })).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.indexBytes(bad, 'kept')).rejects.toBeInstanceOf(InvalidIdError);
        if (bad === 'a/b') continue; // execution ids may hold "/"
        await expect(h.index.replace(t, bad, BASE, sampleTerms())).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.remove(t, bad)).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.removeMany(t, ['kept', bad])).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.indexBytes(t, bad)).rejects.toBeInstanceOf(InvalidIdError);
      }
      const badTerms: unknown[] = [
        null,
        { eq: [], num: [], str: [] },
        { ...sampleTerms(), eq: [''] },
        { ...sampleTerms(), eq: [42] },
        { ...sampleTerms(), eq: ['x'.repeat(5000)] },
        { ...sampleTerms(), num: [{ field: 'n', value: Number.NaN }] },
        { ...sampleTerms(), num: [{ field: 'n', value: Number.POSITIVE_INFINITY }] },
        { ...sampleTerms(), num: [{ field: 'n', value: '1' }] },
        { ...sampleTerms(), num: [null] },
        { ...sampleTerms(), str: [{ field: 'n', value: 'a\0b' }] },
        { ...sampleTerms(), str: [{ field: 'n', value: 7 }] },
        { ...sampleTerms(), num: [{ field: 'ok', value: 1 }], str: [{ field: 'ok', value: 'x'.repeat(2000) }] },
        { ...sampleTerms(), eq: Array.from({ length: 10_001 }, (_, i) => `t${i}`) },
      ];
      for (const terms of badTerms) await expect(h.index.replace(t, 'kept', BASE, terms as IndexTerms), JSON.stringify(terms)?.slice(0, 100)).rejects.toBeInstanceOf(InvalidArgumentError);
      for (const field of ['', 'a\nb', 'x'.repeat(300), 7]) {
        await expect(h.index.replace(t, 'kept', BASE, sampleTerms({ has: [field as string] }))).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.replace(t, 'kept', BASE, sampleTerms({ num: [{ field: field as string, value: 1 }] }))).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.index.search(t, { range: { field: field as string } })).rejects.toBeInstanceOf(InvalidIdError);
      }
      for (const ms of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) await expect(h.index.replace(t, 'kept', ms, sampleTerms())).rejects.toBeInstanceOf(InvalidArgumentError);
      let deep: SearchPlan = { all: true };
      for (let i = 0; i < 40; i++) deep = { not: deep };
      const badPlans: unknown[] = [
        null,
        [],
        {},
        { all: false },
        { eq: '' },
        { eq: 1 },
        { eq: 'a', has: 'b' },
        { nope: true },
        { and: {} },
        { or: [{ all: true }, null] },
        { not: 'x' },
        { range: { field: 'n', min: Number.NaN } },
        { range: { field: 'n', max: Number.POSITIVE_INFINITY } },
        { range: { field: 'n', min: '1' } },
        { range: { field: 'n', minExclusive: 'yes' } },
        { range: { field: 'n', extra: 1 } },
        { prefix: { field: 'n', value: 'a\0' } },
        { prefix: { field: 'n' } },
        { prefix: { field: 'n', value: 'a', x: 1 } },
        { text: { field: 'n', value: 'a\0' } },
        { text: { field: 'n', value: 1 } },
        deep,
        { or: Array.from({ length: 300 }, () => ({ all: true })) },
      ];
      for (const plan of badPlans) await expect(h.index.search(t, plan as SearchPlan), JSON.stringify(plan)?.slice(0, 100)).rejects.toBeInstanceOf(InvalidArgumentError);
      const badOptions: SearchOptions[] = [
        { limit: 0 },
        { limit: 1001 },
        { limit: 2.5 },
        { cursor: '' },
        { cursor: 'not a cursor' },
        { cursor: Buffer.from('12:e1').toString('base64url') },
        { cursor: Buffer.from('s1:x:e1').toString('base64url') },
        { cursor: Buffer.from('s1:12:a:b').toString('base64url') },
        { createdFromMs: Number.NaN },
        { createdToMs: 1.5 },
      ];
      for (const options of badOptions) await expect(h.index.search(t, { all: true }, options), JSON.stringify(options)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(await h.rawDump()).toBe(before);
      expect((await h.index.search(t, { eq: 'x' }, { limit: 1000 })).ids).toEqual(['kept']);
      const error = await h.index.search(t, { eq: '' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'plan' });
    });

    test('property: random executions with random terms and random plans: every page equals a brute-force evaluation', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              executionId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'é', 'A', 'a1', 'b-2', 'z'),
              createdAtMs: fc.integer({ min: 0, max: 6 }).map((n) => BASE + n),
              terms: termsArb,
              removed: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
            }),
            { maxLength: 20 },
          ),
          fc.array(fc.tuple(planArb, fc.integer({ min: 1, max: 6 }), fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined })), {
            minLength: 1,
            maxLength: 4,
          }),
          async (writes, plans) => {
            const t = uniqueId('prop');
            const model = new Map<string, WrittenExecution>();
            // removals in a row go in one removeMany, a lone one through remove
            let removals: string[] = [];
            const flush = async (): Promise<void> => {
              if (removals.length === 1) await h.index.remove(t, removals[0]!);
              else if (removals.length > 1) await h.index.removeMany(t, removals);
              for (const id of removals) model.delete(id);
              removals = [];
            };
            for (const w of writes) {
              if (w.removed) removals.push(w.executionId);
              else {
                await flush();
                await h.index.replace(t, w.executionId, w.createdAtMs, w.terms);
                model.set(w.executionId, w);
              }
            }
            await flush();
            for (const [plan, limit, from, to] of plans) {
              const options = { limit, ...(from === undefined ? {} : { createdFromMs: BASE + from }), ...(to === undefined ? {} : { createdToMs: BASE + to }) };
              expect(await searchAll(h.index, t, plan, options), JSON.stringify([plan, options])).toEqual(bruteForce([...model.values()], plan, options));
            }
            await h.index.removeMany(t, [...model.keys(), ...model.keys(), 'never-indexed']);
            expect(holdsExecutions(await h.rawDump(), t)).toBe(false);
          },
        ),
        { numRuns: propertyRuns },
      );
    }, 120_000);
  });
}

const want300 = (page: { ids: string[]; nextCursor?: string }): { length: number; more: boolean } => ({ length: page.ids.length, more: page.nextCursor !== undefined });
