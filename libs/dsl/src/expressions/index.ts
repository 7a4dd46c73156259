/**
 * Runtime expressions: a compiler of a jq subset (jq 1.8 semantics) to JavaScript closures.
 * `compileCached(text).evaluate(input, { input, context, ... })` returns all outputs.
 */
export { clearExpressionCache, compileCached, compileExpression, EXPRESSION_CACHE_SIZE } from './compile-expression.js';
export type { CompiledExpression } from './compile-expression.js';
export { ExpressionError } from './expression-error.js';
export { DEFAULT_EXPRESSION_LIMITS } from './limits.js';
export type { ExpressionLimits } from './limits.js';
