/**
 * An error of a runtime expression: a syntax error (with the 0-based position in the text),
 * a construct that is not supported, or a runtime error raised while evaluating (jq's message;
 * `value` holds the value given to `error/1`).
 */
export class ExpressionError extends Error {
  /** Stable error code for callers. */
  readonly code = 'EXPRESSION_ERROR';

  constructor(
    message: string,
    /** The expression text. */
    readonly expression: string,
    /** 0-based position in `expression` (syntax errors), or -1 for runtime errors. */
    readonly position = -1,
    /** The value raised by `error/1` (or the message for built-in errors). */
    readonly value: unknown = message,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** A runtime error raised inside an evaluation, carrying jq's error value. */
export class JqRuntimeError extends Error {
  constructor(readonly value: unknown) {
    super(typeof value === 'string' ? value : `${JSON.stringify(value) ?? 'null'} (not a string)`);
  }
}
