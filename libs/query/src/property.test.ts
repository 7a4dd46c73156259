import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CmpOp, QueryNode, QueryValue } from './ast.js';
import type { QueryDocument, SearchOptions } from './document.js';
import { matches } from './evaluate.js';
import { indexDocument, pathKey, termKey } from './index-terms.js';
import { parseQuery } from './parser.js';
import { printQuery } from './printer.js';

// ---- generators: small key and value pools so that queries hit documents often

const KEYS = ['a', 'b', 'items', 'x y', 'and', 'k"q'];
const TASKS = ['t1', 'my task'];
const STRINGS = ['a', 'b', 'ab', 'abc', '', '7', 'true', 'AND', 'x y', 'q"\\', 'é€😀'];

const stringArb = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const numberArb = fc.oneof(
  fc.integer({ min: -3, max: 10 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
);
const scalarArb: fc.Arbitrary<QueryValue> = fc.oneof(stringArb, numberArb, fc.boolean(), fc.constant(null));

const jsonArb: fc.Arbitrary<unknown> = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('json'), { maxKeys: 3 }),
  ),
})).json;

const documentArb: fc.Arbitrary<QueryDocument> = fc.record({
  status: fc.constantFrom('RUNNING', 'COMPLETED', 'FAILED'),
  workflow: fc.constantFrom('w1', 'billing/invoice', '123'),
  created: fc.integer({ min: 0, max: 10 }),
  input: jsonArb,
  output: jsonArb,
  variables: jsonArb,
  tasks: fc.dictionary(fc.constantFrom(...TASKS), fc.record({ input: jsonArb, output: jsonArb }, { requiredKeys: [] }), { maxKeys: 2 }),
});

const contentPathArb = fc.tuple(
  fc.oneof(
    fc.constantFrom(['input'], ['output'], ['variables']),
    fc.tuple(fc.constantFrom(...TASKS), fc.constantFrom('input', 'output')).map(([t, part]) => ['task', t, part]),
  ),
  fc.array(fc.constantFrom(...KEYS), { maxLength: 3 }),
).map(([root, rest]) => [...root, ...rest]);

const contentCmpArb: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.record({ type: fc.constant('cmp' as const), path: contentPathArb, op: fc.constantFrom<CmpOp>('=', '!='), value: scalarArb }),
  fc.record({ type: fc.constant('cmp' as const), path: contentPathArb, op: fc.constantFrom<CmpOp>('<', '<=', '>', '>='), value: numberArb }),
  fc.record({ type: fc.constant('cmp' as const), path: contentPathArb, op: fc.constant<CmpOp>('^='), value: stringArb }),
);
const fieldCmpArb: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.record({
    type: fc.constant('cmp' as const),
    path: fc.constantFrom<string[]>(['status'], ['workflow']),
    op: fc.constantFrom<CmpOp>('=', '!=', '^='),
    value: fc.constantFrom('RUNNING', 'COMP', 'w1', 'billing/', '123', ''),
  }),
  fc.record({ type: fc.constant('cmp' as const), path: fc.constant<string[]>(['created']), op: fc.constantFrom<CmpOp>('=', '!=', '<', '<=', '>', '>='), value: fc.integer({ min: -1, max: 11 }) }),
);
const existsArb: fc.Arbitrary<QueryNode> = fc.record({
  type: fc.constant('exists' as const),
  path: fc.oneof(contentPathArb, fc.constantFrom<string[]>(['status'], ['created'])),
});

const queryArb: fc.Arbitrary<QueryNode> = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    contentCmpArb,
    fieldCmpArb,
    existsArb,
    fc.record({ type: fc.constant('not' as const), child: tie('node') }),
    fc.record({ type: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
  ),
})).node;

// ---- an independent, straightforward evaluator (no nesting guard, no depth or length limits)

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

function valuesAt(doc: QueryDocument, path: string[]): unknown[] {
  const d = doc as unknown as Record<string, unknown>;
  let current: unknown[];
  let rest: string[];
  if (path[0] === 'task') {
    const task = doc.tasks && Object.hasOwn(doc.tasks, path[1]!) ? doc.tasks[path[1]!] : undefined;
    current = task && Object.hasOwn(task, path[2]!) ? [(task as Record<string, unknown>)[path[2]!]] : [];
    rest = path.slice(3);
  } else {
    current = Object.hasOwn(d, path[0]!) ? [d[path[0]!]] : [];
    rest = path.slice(1);
  }
  for (const key of rest) {
    current = current
      .flatMap(flatten)
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, key))
      .map((v) => v[key]);
  }
  return current.filter((v) => v !== undefined);
}

function naive(node: QueryNode, doc: QueryDocument): boolean {
  switch (node.type) {
    case 'and':
      return node.children.every((c) => naive(c, doc));
    case 'or':
      return node.children.some((c) => naive(c, doc));
    case 'not':
      return !naive(node.child, doc);
    case 'exists':
      return valuesAt(doc, node.path).length > 0;
    case 'cmp': {
      const found = valuesAt(doc, node.path);
      const leaves = found.flatMap(flatten);
      const v = node.value;
      switch (node.op) {
        case '=':
          return leaves.some((l) => l === v);
        case '!=':
          return found.length > 0 && !leaves.includes(v);
        case '^=':
          return leaves.some((l) => typeof l === 'string' && l.startsWith(v as string));
        case '<':
          return leaves.some((l) => typeof l === 'number' && l < (v as number));
        case '<=':
          return leaves.some((l) => typeof l === 'number' && l <= (v as number));
        case '>':
          return leaves.some((l) => typeof l === 'number' && l > (v as number));
        case '>=':
          return leaves.some((l) => typeof l === 'number' && l >= (v as number));
      }
    }
  }
}

// ---- an evaluator over what indexDocument gives (what the Redis index will store)

function overIndex(node: QueryNode, doc: QueryDocument, options?: SearchOptions): boolean {
  const { terms, paths } = indexDocument(doc, options);
  const termKeys = new Set(terms.map((t) => termKey(t.path, t.value)));
  const pathKeys = new Set(paths.map(pathKey));
  const evaluate = (n: QueryNode): boolean => {
    switch (n.type) {
      case 'and':
        return n.children.every(evaluate);
      case 'or':
        return n.children.some(evaluate);
      case 'not':
        return !evaluate(n.child);
      case 'exists':
        return pathKeys.has(pathKey(n.path));
      case 'cmp': {
        const key = pathKey(n.path);
        const atPath = terms.filter((t) => pathKey(t.path) === key);
        const v = n.value;
        switch (n.op) {
          case '=':
            return termKeys.has(termKey(n.path, v));
          case '!=':
            return pathKeys.has(key) && !termKeys.has(termKey(n.path, v));
          case '^=':
            return atPath.some((t) => t.kind === 'string' && t.value.startsWith(v as string));
          default:
            return atPath.some(
              (t) =>
                t.kind === 'number' &&
                (n.op === '<' ? t.value < (v as number) : n.op === '<=' ? t.value <= (v as number) : n.op === '>' ? t.value > (v as number) : t.value >= (v as number)),
            );
        }
      }
    }
  };
  return evaluate(node);
}

describe('properties', () => {
  test('parseQuery(printQuery(q)) equals q', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        expect(parseQuery(printQuery(q))).toEqual(q);
      }),
      { numRuns: 2000 },
    );
  });

  test('printQuery is canonical: printing the parsed text gives the same text', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const text = printQuery(q);
        expect(printQuery(parseQuery(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('matches agrees with a straightforward evaluation', () => {
    fc.assert(
      fc.property(queryArb, documentArb, (q, doc) => {
        expect(matches(q, doc)).toBe(naive(q, doc));
      }),
      { numRuns: 2000 },
    );
  });

  test('an index built from indexDocument answers exactly as matches (with the same options)', () => {
    const optionsArb = fc.constantFrom<SearchOptions | undefined>(undefined, { maxValueLength: 2 }, { maxDepth: 1 }, { maxDepth: 0, maxValueLength: 0 });
    fc.assert(
      fc.property(queryArb, documentArb, optionsArb, (q, doc, options) => {
        expect(overIndex(q, doc, options)).toBe(matches(q, doc, options));
      }),
      { numRuns: 2000 },
    );
  });

  test('queries hit documents (the generators are not vacuous)', () => {
    let hits = 0;
    fc.assert(
      fc.property(queryArb, documentArb, (q, doc) => {
        if (matches(q, doc)) hits++;
      }),
      { numRuns: 1000 },
    );
    expect(hits).toBeGreaterThan(100);
    expect(hits).toBeLessThan(900);
  });
});
