import { type CmpOp, type QueryNode, type QueryValue } from './ast.js';
import { pathKey, termKey } from './index-terms.js';

/** One thing a query looks up, for planning. `negated`: under an odd number of NOTs. */
export type QueryTouch =
  /** `path = value`: the equality set `key`. */
  | { kind: 'equals'; path: string[]; value: QueryValue; key: string; negated: boolean }
  /** `path != value`: the documents where `pathKey` exists, minus the equality set `key`. */
  | { kind: 'notEquals'; path: string[]; value: QueryValue; key: string; pathKey: string; negated: boolean }
  /** `path ^= prefix`: string leaves of the path starting with `prefix`. */
  | { kind: 'prefix'; path: string[]; prefix: string; negated: boolean }
  /** `path < n` etc.: number leaves of the path in the range (open ends are absent). */
  | { kind: 'range'; path: string[]; min?: number; minInclusive?: boolean; max?: number; maxInclusive?: boolean; negated: boolean }
  /** `exists(path)`: the documents where `pathKey` exists. */
  | { kind: 'exists'; path: string[]; pathKey: string; negated: boolean };

export interface QueryDescription {
  /** Every comparison and exists term, in query order. */
  touches: QueryTouch[];
  /** Distinct paths the query reads (`pathKey`s). */
  paths: string[];
  /** Number of comparison and exists terms. */
  terms: number;
  /** Whether the query holds NOT, `!=` or OR (then a single set lookup cannot answer it). */
  complex: boolean;
}

/** Lists the terms, prefixes and ranges a query touches. */
export function describeQuery(node: QueryNode): QueryDescription {
  const touches: QueryTouch[] = [];
  let complex = false;
  const visit = (n: QueryNode, negated: boolean): void => {
    switch (n.type) {
      case 'and':
        n.children.forEach((child) => visit(child, negated));
        return;
      case 'or':
        complex = true;
        n.children.forEach((child) => visit(child, negated));
        return;
      case 'not':
        complex = true;
        visit(n.child, !negated);
        return;
      case 'exists':
        touches.push({ kind: 'exists', path: n.path, pathKey: pathKey(n.path), negated });
        return;
      case 'cmp':
        touches.push(touchOf(n.path, n.op, n.value, negated));
        if (n.op === '!=') complex = true;
        return;
    }
  };
  visit(node, false);
  return { touches, paths: [...new Set(touches.map((t) => pathKey(t.path)))], terms: touches.length, complex };
}

function touchOf(path: string[], op: CmpOp, value: QueryValue, negated: boolean): QueryTouch {
  switch (op) {
    case '=':
      return { kind: 'equals', path, value, key: termKey(path, value), negated };
    case '!=':
      return { kind: 'notEquals', path, value, key: termKey(path, value), pathKey: pathKey(path), negated };
    case '^=':
      return { kind: 'prefix', path, prefix: String(value), negated };
    case '<':
    case '<=':
      return { kind: 'range', path, max: Number(value), maxInclusive: op === '<=', negated };
    case '>':
    case '>=':
      return { kind: 'range', path, min: Number(value), minInclusive: op === '>=', negated };
  }
}
