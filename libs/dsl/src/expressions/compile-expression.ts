import { UnsupportedError } from './builtins.js';
import { compile, type Env, type Filter } from './compiler.js';
import { ExpressionError, JqRuntimeError } from './expression-error.js';
import { beginEvaluation, endEvaluation, type ExpressionLimits, LimitExceededError, outputsExceeded, resolveLimits } from './limits.js';
import { parse } from './parser.js';

/** A jq expression compiled once, to be evaluated many times. */
export interface CompiledExpression {
  /** The expression text. */
  readonly text: string;
  /**
   * All outputs of the expression for `input`, with `vars` bound as `$name` (keys may be given
   * as `name` or `$name`). Throws ExpressionError, also when a limit of `limits` (merged over
   * DEFAULT_EXPRESSION_LIMITS) is exceeded.
   */
  evaluate(input: unknown, vars?: Readonly<Record<string, unknown>>, limits?: Partial<ExpressionLimits>): unknown[];
  /** The first output; throws ExpressionError when there is none or evaluation fails (or exceeds `limits`). */
  evaluateOne(input: unknown, vars?: Readonly<Record<string, unknown>>, limits?: Partial<ExpressionLimits>): unknown;
}

const EMPTY_ENV: Env = Object.create(null) as Env;

function toEnv(vars: Readonly<Record<string, unknown>> | undefined): Env {
  if (!vars) return EMPTY_ENV;
  const env = Object.create(null) as Env;
  for (const k of Object.keys(vars)) env[k.startsWith('$') ? k.slice(1) : k] = vars[k];
  return env;
}

function wrap(e: unknown, text: string): ExpressionError {
  if (e instanceof ExpressionError) return e;
  if (e instanceof LimitExceededError) return new ExpressionError(e.message, text);
  if (e instanceof JqRuntimeError) return new ExpressionError(e.message, text, -1, e.value);
  if (e instanceof UnsupportedError) return new ExpressionError(e.message, text, e.position);
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new ExpressionError('expression or value too deeply nested (call stack exceeded)', text);
  return new ExpressionError(`internal error: ${e instanceof Error ? e.message : String(e)}`, text);
}

/**
 * Compiles a jq expression (the supported subset) to JavaScript closures.
 * Throws ExpressionError (with the 0-based `position`) on a syntax error or an unsupported construct.
 */
export function compileExpression(text: string): CompiledExpression {
  let f: Filter;
  try {
    f = compile(parse(text));
  } catch (e) {
    throw wrap(e, text);
  }
  const evaluate = (input: unknown, vars?: Readonly<Record<string, unknown>>, limits?: Partial<ExpressionLimits>): unknown[] => {
    const out: unknown[] = [];
    const lim = resolveLimits(limits);
    const maxOutputs = lim.maxOutputs;
    const saved = beginEvaluation(lim);
    try {
      f(input, toEnv(vars), (v) => { if (out.push(v) > maxOutputs) throw outputsExceeded(maxOutputs); });
    } catch (e) {
      throw wrap(e, text);
    } finally {
      endEvaluation(saved);
    }
    return out;
  };
  const evaluateOne = (input: unknown, vars?: Readonly<Record<string, unknown>>, limits?: Partial<ExpressionLimits>): unknown => {
    let first: unknown;
    let found = false;
    const stop = {};
    const saved = beginEvaluation(resolveLimits(limits));
    try {
      // Most expressions have exactly one output: stop (by throwing, which is slow) only at a second one.
      f(input, toEnv(vars), (v) => {
        if (found) throw stop;
        first = v;
        found = true;
      });
    } catch (e) {
      if (e !== stop) throw wrap(e, text);
    } finally {
      endEvaluation(saved);
    }
    if (!found) throw new ExpressionError('expression produced no output', text);
    return first;
  };
  return { text, evaluate, evaluateOne };
}

/** Maximum number of compiled expressions kept by `compileCached`. */
export const EXPRESSION_CACHE_SIZE = 1000;
const cache = new Map<string, CompiledExpression>();

/** `compileExpression` with an LRU cache keyed by the text (EXPRESSION_CACHE_SIZE entries). */
export function compileCached(text: string): CompiledExpression {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const c = compileExpression(text);
  if (cache.size >= EXPRESSION_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(text, c);
  return c;
}

/** Empties the cache of `compileCached` (for tests). */
export function clearExpressionCache(): void {
  cache.clear();
}
