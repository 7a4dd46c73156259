import { indexDocument, pathKey, QUERY_LIMITS, termKey, type QueryDocument, type QueryNode, type QueryValue, type SearchOptions } from '@flunq/query';
import type { IndexTerms, SearchPlan } from '@flunq/redis-store';

const NOTHING: SearchPlan = { or: [] };

/**
 * The index entries of one execution's document: numbers (ranges, and `=` as `[v, v]`), texts
 * (`=` and `^=`), equality keys for booleans and null only, and existing paths.
 */
export function indexTermsOf(document: QueryDocument, options?: SearchOptions): IndexTerms {
  const { terms, paths } = indexDocument(document, options);
  return {
    eq: terms.flatMap((t) => (t.kind === 'boolean' || t.kind === 'null' ? [termKey(t.path, t.value)] : [])),
    num: terms.flatMap((t) => (t.kind === 'number' ? [{ field: pathKey(t.path), value: t.value }] : [])),
    str: terms.flatMap((t) => (t.kind === 'string' ? [{ field: pathKey(t.path), value: t.value }] : [])),
    has: paths.map(pathKey),
  };
}

/** The plan of `path = value`: texts and numbers by their own terms, booleans and null by an equality key. */
export function equalityPlan(path: readonly string[], value: QueryValue): SearchPlan {
  const field = pathKey(path);
  if (typeof value === 'string') return { text: { field, value } };
  if (typeof value === 'number') return { range: { field, min: value, max: value } };
  return { eq: termKey(path, value) };
}

function comparison(node: Extract<QueryNode, { type: 'cmp' }>, maxValueLength: number): SearchPlan {
  const { path, op, value } = node;
  const field = pathKey(path);
  const tooLong = typeof value === 'string' && value.length > maxValueLength;
  switch (op) {
    case '=':
      return tooLong ? NOTHING : equalityPlan(path, value);
    case '!=':
      // "exists and no value equals it", as `matches` defines it.
      return tooLong ? { has: field } : { and: [{ has: field }, { not: equalityPlan(path, value) }] };
    case '^=':
      return typeof value === 'string' && !tooLong ? { prefix: { field, value } } : NOTHING;
    default: {
      if (typeof value !== 'number') return NOTHING;
      const bounds = op === '<' ? { max: value, maxExclusive: true } : op === '<=' ? { max: value } : op === '>' ? { min: value, minExclusive: true } : { min: value };
      return { range: { field, ...bounds } };
    }
  }
}

/**
 * The index plan of a parsed query: the same answer as `matches(query, document)` for every
 * indexed document (a property test checks it against the reference evaluator).
 */
export function searchPlanOf(node: QueryNode, options?: SearchOptions): SearchPlan {
  const maxValueLength = options?.maxValueLength ?? QUERY_LIMITS.maxValueLength;
  switch (node.type) {
    case 'and':
      return { and: node.children.map((child) => searchPlanOf(child, options)) };
    case 'or':
      return { or: node.children.map((child) => searchPlanOf(child, options)) };
    case 'not':
      return { not: searchPlanOf(node.child, options) };
    case 'exists':
      return { has: pathKey(node.path) };
    case 'cmp':
      return comparison(node, maxValueLength);
  }
}
