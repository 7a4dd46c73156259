/** Errors of `parseQuery`. Both carry `position`, a 0-based offset (UTF-16 code units) into the text. */
export abstract class QueryError extends Error {
  abstract readonly code: 'QUERY_SYNTAX' | 'QUERY_LIMIT';
  /** The message without the trailing ` at <position>`. */
  readonly reason: string;

  constructor(
    reason: string,
    readonly position: number,
  ) {
    super(`${reason} at ${position}`);
    this.reason = reason;
  }
}

/** The text is not a query: `expected a value after "=" at 14`. */
export class QuerySyntaxError extends QueryError {
  readonly code = 'QUERY_SYNTAX';
  override readonly name = 'QuerySyntaxError';
}

export type QueryLimit = 'textBytes' | 'terms' | 'depth' | 'pathDepth' | 'valueLength';

/** The query is well formed but too large: text, term count, nesting, path depth or value length. */
export class QueryLimitError extends QueryError {
  readonly code = 'QUERY_LIMIT';
  override readonly name = 'QueryLimitError';

  constructor(
    readonly limit: QueryLimit,
    readonly max: number,
    reason: string,
    position: number,
  ) {
    super(reason, position);
  }
}

/**
 * The error message, the line of the query holding the error and a caret under it:
 *
 * ```
 * expected a value after "=" at 14
 *   input.user_id =
 *                  ^
 * ```
 * Long lines are cut to a window around the position (marked with `...`).
 */
export function formatQueryError(text: string, error: QueryError): string {
  const position = Math.max(0, Math.min(error.position, text.length));
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  let lineEnd = text.indexOf('\n', position);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/[\t\r\v\f]/g, ' ');
  let column = position - lineStart;
  const window = 60;
  let from = 0;
  let to = line.length;
  if (line.length > 2 * window) {
    from = Math.max(0, column - window);
    to = Math.min(line.length, column + window);
  }
  const prefix = from > 0 ? '...' : '';
  const suffix = to < line.length ? '...' : '';
  column = column - from + prefix.length;
  return `${error.message}\n  ${prefix}${line.slice(from, to)}${suffix}\n  ${' '.repeat(column)}^`;
}
