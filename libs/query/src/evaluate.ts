import type { QueryNode, QueryValue } from './ast.js';
import { type QueryDocument, resolveOptions, resolvePath, type Scalar, scalarsOf, type SearchOptions } from './document.js';

/**
 * The reference semantics (docs/query-language.md): whether a document matches a query, by
 * brute force. Any index must answer exactly this.
 */
export function matches(node: QueryNode, document: QueryDocument, options?: SearchOptions): boolean {
  const { maxDepth, maxValueLength } = resolveOptions(options);
  const evaluate = (n: QueryNode): boolean => {
    switch (n.type) {
      case 'and':
        return n.children.every(evaluate);
      case 'or':
        return n.children.some(evaluate);
      case 'not':
        return !evaluate(n.child);
      case 'exists':
        return resolvePath(document, n.path, maxDepth).length > 0;
      case 'cmp': {
        const found = resolvePath(document, n.path, maxDepth);
        const scalars = scalarsOf(found, maxValueLength);
        const value = n.value;
        switch (n.op) {
          case '=':
            return scalars.some((s) => equals(s, value));
          case '!=':
            return found.length > 0 && !scalars.some((s) => equals(s, value));
          case '^=':
            return typeof value === 'string' && scalars.some((s) => s.kind === 'string' && s.value.startsWith(value));
          default:
            return typeof value === 'number' && scalars.some((s) => s.kind === 'number' && compare(s.value, n.op, value));
        }
      }
    }
  };
  return evaluate(node);
}

/** Same kind and same value: a string never equals a number (`"1"` vs `1`), null equals only null. */
export function equals(scalar: Scalar, value: QueryValue): boolean {
  return scalar.value === value;
}

function compare(left: number, op: string, right: number): boolean {
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}
