import { describe, expect, test } from 'vitest';
import { describeQuery } from './describe.js';
import type { QueryDocument } from './document.js';
import { matches } from './evaluate.js';
import { indexDocument, indexTerms, termKey } from './index-terms.js';
import { parseQuery } from './parser.js';

const doc: QueryDocument = {
  status: 'COMPLETED',
  workflow: 'billing/invoice',
  created: Date.UTC(2024, 4, 1, 12),
  input: { user_id: 'u-42', n: 7, s: '7', ok: true, none: null, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5 }, [{ sku: 'c' }]], tags: ['x', 'y'], empty: [], obj: {} },
  output: { result: 'done' },
  variables: { x: 1.5, long: 'z'.repeat(200) },
  tasks: { processData: { input: { a: 1 }, output: { metrics: { count: 12 } } } },
};
const m = (q: string, d: QueryDocument = doc): boolean => matches(parseQuery(q), d);

describe('matches', () => {
  test('equality is typed: a string never equals a number', () => {
    expect(m('input.n = 7')).toBe(true);
    expect(m('input.n = "7"')).toBe(false);
    expect(m('input.s = "7"')).toBe(true);
    expect(m('input.s = 7')).toBe(false);
    expect(m('input.ok = true')).toBe(true);
    expect(m('input.ok = "true"')).toBe(false);
    expect(m('input.none = null')).toBe(true);
    expect(m('input.missing = null')).toBe(false);
    expect(m('input.user_id = u-42 AND output.result = done AND variables.x = 1.5')).toBe(true);
  });

  test('arrays: any element, at any nesting', () => {
    expect(m('input.items.sku = a')).toBe(true);
    expect(m('input.items.sku = b')).toBe(true);
    expect(m('input.items.sku = c')).toBe(true);
    expect(m('input.items.sku = d')).toBe(false);
    expect(m('input.tags = y')).toBe(true);
    expect(m('input.items.qty > 4 AND input.items.qty < 2')).toBe(true); // no correlation between elements
  });

  test('!= is "exists and no value equals"', () => {
    expect(m('input.n != 8')).toBe(true);
    expect(m('input.n != 7')).toBe(false);
    expect(m('input.missing != 7')).toBe(false);
    expect(m('NOT input.missing = 7')).toBe(true);
    expect(m('input.tags != x')).toBe(false);
    expect(m('input.tags != z')).toBe(true);
    expect(m('input.empty != z')).toBe(true);
    expect(m('input.none != null')).toBe(false);
  });

  test('ordering applies to numbers only; prefix to strings only', () => {
    expect(m('input.n > 6 AND input.n >= 7 AND input.n <= 7 AND input.n < 8')).toBe(true);
    expect(m('input.s > 6')).toBe(false);
    expect(m('input.s < 8')).toBe(false);
    expect(m('input.ok > 0')).toBe(false);
    expect(m('input.user_id ^= u-')).toBe(true);
    expect(m('input.user_id ^= ""')).toBe(true);
    expect(m('input.n ^= 7')).toBe(false);
    expect(m('workflow ^= "billing/"')).toBe(true);
  });

  test('exists: the path holds a value, null, {} and [] included', () => {
    for (const p of ['input.none', 'input.empty', 'input.obj', 'input.items.sku', 'task.processData.output.metrics', 'status', 'created']) expect(m(`exists(${p})`)).toBe(true);
    for (const p of ['input.missing', 'input.empty.x', 'input.none.x', 'input.items.nope', 'task.other.input', 'input.constructor', 'input.__proto__']) {
      expect(m(`exists(${p})`)).toBe(false);
    }
  });

  test('fields, tasks, times', () => {
    expect(m('status = COMPLETED AND workflow = "billing/invoice"')).toBe(true);
    expect(m('created >= 2024-05-01 AND created < 2024-05-02')).toBe(true);
    expect(m('created = 2024-05-01T12:00:00Z')).toBe(true);
    expect(m('task.processData.output.metrics.count >= 10 AND task.processData.input.a = 1')).toBe(true);
    expect(m('task.processData.input.metrics.count >= 10')).toBe(false);
  });

  test('long strings match only exists and !=', () => {
    expect(matches({ type: 'cmp', path: ['variables', 'long'], op: '=', value: 'z'.repeat(200) }, doc)).toBe(false);
    expect(m('variables.long ^= z')).toBe(false);
    expect(m('exists(variables.long) AND variables.long != z')).toBe(true);
    expect(matches(parseQuery('variables.long ^= z'), doc, { maxValueLength: 500 })).toBe(true);
  });

  test('maxDepth: deeper leaves are out of reach', () => {
    const deep: QueryDocument = { ...doc, input: { a: { b: { c: 1 } } } };
    expect(m('input.a.b.c = 1', deep)).toBe(true);
    expect(matches(parseQuery('input.a.b.c = 1'), deep, { maxDepth: 2 })).toBe(false);
    expect(matches(parseQuery('exists(input.a.b)'), deep, { maxDepth: 2 })).toBe(true);
    expect(indexTerms(deep, { maxDepth: 2 }).filter((t) => t.path[0] === 'input')).toEqual([]);
  });

  test('boolean structure', () => {
    expect(m('input.n = 1 OR input.n = 7')).toBe(true);
    expect(m('NOT (input.n = 1 OR input.n = 7)')).toBe(false);
    expect(m('NOT input.n = 1 AND input.n = 7')).toBe(true);
  });
});

describe('indexTerms', () => {
  test('scalar leaves, array indices dropped, long strings skipped, distinct', () => {
    const { terms, paths } = indexDocument(doc);
    expect(terms).toContainEqual({ path: ['input', 'items', 'sku'], kind: 'string', value: 'a' });
    expect(terms).toContainEqual({ path: ['input', 'items', 'sku'], kind: 'string', value: 'c' });
    expect(terms).toContainEqual({ path: ['input', 'none'], kind: 'null', value: null });
    expect(terms).toContainEqual({ path: ['task', 'processData', 'output', 'metrics', 'count'], kind: 'number', value: 12 });
    expect(terms).toContainEqual({ path: ['status'], kind: 'string', value: 'COMPLETED' });
    expect(terms).toContainEqual({ path: ['created'], kind: 'number', value: doc.created });
    expect(terms.some((t) => t.path.join('.') === 'variables.long')).toBe(false);
    expect(paths).toContainEqual(['variables', 'long']);
    expect(paths).toContainEqual(['input', 'empty']);
    expect(paths).toContainEqual(['task', 'processData', 'output']);
    expect(new Set(terms.map((t) => termKey(t.path, t.value))).size).toBe(terms.length);
  });

  test('termKey is unambiguous', () => {
    expect(termKey(['input', 'a'], 1)).not.toBe(termKey(['input', 'a'], '1'));
    expect(termKey(['input', 'a.b'], 'x')).not.toBe(termKey(['input', 'a', 'b'], 'x'));
    expect(termKey(['input', 'a'], null)).not.toBe(termKey(['input', 'a'], 'null'));
    expect(termKey(['input', 'a'], -0)).toBe(termKey(['input', 'a'], 0));
    expect(termKey(['input', 'a'], 'x')).toBe('[["input","a"],"string","x"]');
  });
});

describe('describeQuery', () => {
  test('lists terms, prefixes, ranges and exists', () => {
    const d = describeQuery(parseQuery('status = RUNNING AND created >= 1000 AND (input.a ^= x OR NOT exists(output.b)) AND input.n != 3'));
    expect(d.terms).toBe(5);
    expect(d.complex).toBe(true);
    expect(d.touches).toEqual([
      { kind: 'equals', path: ['status'], value: 'RUNNING', key: termKey(['status'], 'RUNNING'), negated: false },
      { kind: 'range', path: ['created'], min: 1000, minInclusive: true, negated: false },
      { kind: 'prefix', path: ['input', 'a'], prefix: 'x', negated: false },
      { kind: 'exists', path: ['output', 'b'], pathKey: '["output","b"]', negated: true },
      { kind: 'notEquals', path: ['input', 'n'], value: 3, key: termKey(['input', 'n'], 3), pathKey: '["input","n"]', negated: false },
    ]);
    expect(d.paths).toEqual(['["status"]', '["created"]', '["input","a"]', '["output","b"]', '["input","n"]']);
    expect(describeQuery(parseQuery('input.a < 5')).touches).toEqual([{ kind: 'range', path: ['input', 'a'], max: 5, maxInclusive: false, negated: false }]);
    expect(describeQuery(parseQuery('input.a = 1 AND input.b = 2')).complex).toBe(false);
  });
});
