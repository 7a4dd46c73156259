import { compileCached } from '../expressions/compile-expression.js';
import type { Evaluate } from './runtime-values.js';

/**
 * The engine's expression language: jq, compiled once per expression text and cached.
 * The first output is the value; an expression with no output is an error.
 */
export const evaluateJq: Evaluate = (expression, input, variables) => compileCached(expression).evaluateOne(input, variables);
