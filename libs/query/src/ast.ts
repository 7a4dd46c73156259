/** The query AST: what `parseQuery` returns and `printQuery` prints. Plain JSON data. */

/** Comparison operators. `^=` is "string starts with". */
export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '^=';

/** A literal value. `created` values are always numbers (ms since the epoch; ISO text is converted). */
export type QueryValue = string | number | boolean | null;

export type QueryNode =
  /** Every child matches (at least two children). */
  | { type: 'and'; children: QueryNode[] }
  /** At least one child matches (at least two children). */
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  | { type: 'cmp'; path: string[]; op: CmpOp; value: QueryValue }
  | { type: 'exists'; path: string[] };

export const CMP_OPS: readonly CmpOp[] = ['=', '!=', '<', '<=', '>', '>=', '^='];
export const ORDER_OPS: readonly CmpOp[] = ['<', '<=', '>', '>='];

/** First path segments. `task` is followed by a task name, then `input` or `output`. */
export const PATH_ROOTS = ['input', 'output', 'variables', 'task', 'status', 'workflow', 'created'] as const;
export type PathRoot = (typeof PATH_ROOTS)[number];

/** Limits of a query (`QueryLimitError` when exceeded). */
export const QUERY_LIMITS = {
  /** Query text, in UTF-8 bytes. */
  maxTextBytes: 2048,
  /** Comparisons and `exists(...)` terms. */
  maxTerms: 64,
  /** Nesting: each pair of parentheses and each NOT is one level. */
  maxDepth: 16,
  /** Segments of a path below its document part (`input.a.b` has 2; `task.t.output.a` has 1). */
  maxPathDepth: 8,
  /** Characters (UTF-16 code units) of a string value. */
  maxValueLength: 128,
} as const;

/** Number of leading segments naming the document part: 3 for `task.<name>.<input|output>`, else 1. */
export function rootLength(path: readonly string[]): number {
  return path[0] === 'task' ? 3 : 1;
}

/** Segments below the document part (what `maxPathDepth` / `maxDepth` count). */
export function pathDepth(path: readonly string[]): number {
  return Math.max(0, path.length - rootLength(path));
}
