import { expressionOf, evaluateValue, type Evaluate } from './runtime-values.js';

/** The parts of a task (or of the workflow) that shape its data. */
export interface DataFlowSpec {
  readonly input?: { readonly from?: unknown };
  readonly output?: { readonly as?: unknown };
  readonly export?: { readonly as?: unknown };
}

/**
 * Evaluates a data-flow transformation (`input.from`, `output.as`, `export.as`): a string is
 * an expression with or without `${ }` (the conformance kit writes both), an object is
 * evaluated member by member; absent leaves the value as it is.
 */
export function transform(spec: unknown, value: unknown, variables: Readonly<Record<string, unknown>>, evaluate: Evaluate): unknown {
  if (spec === undefined) return value;
  if (typeof spec === 'string') return evaluate(expressionOf(spec) ?? spec, value, variables);
  return evaluateValue(spec, value, variables, evaluate);
}

/** Applies `output.as` then `export.as` (which sees the transformed output and sets `$context`). */
export function finishData(
  spec: DataFlowSpec,
  rawOutput: unknown,
  variables: Readonly<Record<string, unknown>>,
  evaluate: Evaluate,
): { output: unknown; context: unknown } {
  const output = transform(spec.output?.as, rawOutput, { ...variables, $output: rawOutput }, evaluate);
  const context = spec.export?.as === undefined ? variables['$context'] : transform(spec.export.as, output, { ...variables, $output: output }, evaluate);
  return { output, context };
}
