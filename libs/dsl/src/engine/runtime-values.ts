/**
 * Evaluates one runtime expression (jq, without the `${ }`) against `input` with the
 * DSL's arguments bound as variables (`$context`, `$input`, `$workflow`, `$task`, ...).
 * Injected, so the engine stays pure and the expression language is swappable.
 */
export type Evaluate = (expression: string, input: unknown, variables: Readonly<Record<string, unknown>>) => unknown;

const EXPRESSION = /^\s*\$\{([\s\S]*)\}\s*$/;

/** The expression inside `${ … }`, or undefined for a literal string. */
export function expressionOf(value: string): string | undefined {
  return EXPRESSION.exec(value)?.[1]?.trim();
}

/**
 * Evaluates a DSL value: `${ … }` strings are runtime expressions, objects and arrays are
 * evaluated member by member, anything else is a literal. (`input.from`, `output.as`,
 * `export.as`, `set`, `with` all take such values.)
 */
export function evaluateValue(value: unknown, input: unknown, variables: Readonly<Record<string, unknown>>, evaluate: Evaluate): unknown {
  if (typeof value === 'string') {
    const expression = expressionOf(value);
    return expression === undefined ? value : evaluate(expression, input, variables);
  }
  if (Array.isArray(value)) return value.map((item) => evaluateValue(item, input, variables, evaluate));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, evaluateValue(item, input, variables, evaluate)]));
  }
  return value;
}
