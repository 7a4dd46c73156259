/**
 * Evaluation limits of runtime expressions (untrusted text from workflow definitions).
 * Evaluation is synchronous, so the budget of the running evaluation lives in module state:
 * `evaluate` installs it (and restores the previous one), the hot loops call `tick()`.
 */

/** Bounds on one evaluation of an expression; exceeding one throws ExpressionError. */
export interface ExpressionLimits {
  /**
   * Work units: one per iteration of range, reduce/foreach, `.[]`, `..`, recurse, map and other
   * iterating builtins, plus the number of items copied by array/object concatenation and updates.
   */
  readonly maxSteps: number;
  /** Outputs collected by `evaluate`. */
  readonly maxOutputs: number;
  /** Length (UTF-16 code units) of a string produced by `+`, `*`, interpolation, `tojson`, formats, `join`, `implode`. */
  readonly maxStringLength: number;
  /** Length of an array produced by `[...]`, `+`, `split`, `explode`, `flatten`, `range`-driven updates (`.[n] = v`). */
  readonly maxArrayLength: number;
}

/** Default limits: 10 million steps, 100,000 outputs, 10 MiB strings, 1,000,000-item arrays. */
export const DEFAULT_EXPRESSION_LIMITS: Readonly<ExpressionLimits> = Object.freeze({
  maxSteps: 10_000_000,
  maxOutputs: 100_000,
  maxStringLength: 10 * 1024 * 1024,
  maxArrayLength: 1_000_000,
});

/** Steps charged per key of a copied object (copying keys is much slower than a loop iteration). */
export const OBJECT_KEY_STEPS = 4;

/** Thrown when a limit is exceeded; not a jq runtime error, so `try` and `?` do not catch it. */
export class LimitExceededError extends Error {
  constructor(readonly limit: keyof ExpressionLimits, readonly max: number, message: string) {
    super(message);
  }
}

// outside an evaluation (helpers called directly) nothing is limited
let maxSteps = Infinity;
let stepsLeft = Infinity;
let maxString = Infinity;
let maxArray = Infinity;

function stepsExceeded(): never {
  stepsLeft = 0;
  throw new LimitExceededError('maxSteps', maxSteps, `evaluation exceeded ${maxSteps} steps (maxSteps)`);
}

/** Counts one step of work. */
export function tick(): void {
  if (--stepsLeft < 0) stepsExceeded();
}

/** Counts `n` steps of work (copies proportional to a value's size). */
export function charge(n: number): void {
  stepsLeft -= n;
  if (stepsLeft < 0) stepsExceeded();
}

/** Checks a length a string is about to have (or has). */
export function checkStringLength(n: number): void {
  if (n > maxString) throw new LimitExceededError('maxStringLength', maxString, `evaluation produced a string longer than ${maxString} characters (maxStringLength)`);
}

/** Checks the length of a produced string; returns it. */
export function checkString(s: string): string {
  if (s.length > maxString) checkStringLength(s.length);
  return s;
}

/** Checks a length an array is about to have (or has). */
export function checkArrayLength(n: number): void {
  if (n > maxArray) throw new LimitExceededError('maxArrayLength', maxArray, `evaluation produced an array longer than ${maxArray} items (maxArrayLength)`);
}

/** The error for too many outputs. */
export function outputsExceeded(max: number): LimitExceededError {
  return new LimitExceededError('maxOutputs', max, `evaluation produced more than ${max} outputs (maxOutputs)`);
}

/** The budget state saved by `beginEvaluation`. */
export type SavedBudget = [number, number, number, number];

/** Installs a fresh budget for `limits`; returns the previous one for `endEvaluation`. */
export function beginEvaluation(limits: Readonly<ExpressionLimits>): SavedBudget {
  const saved: SavedBudget = [maxSteps, stepsLeft, maxString, maxArray];
  maxSteps = limits.maxSteps;
  stepsLeft = limits.maxSteps;
  maxString = limits.maxStringLength;
  maxArray = limits.maxArrayLength;
  return saved;
}

/** Restores the budget saved by `beginEvaluation`. */
export function endEvaluation(saved: SavedBudget): void {
  [maxSteps, stepsLeft, maxString, maxArray] = saved;
}

/** Merges partial limits over the defaults, validating them. */
export function resolveLimits(limits: Partial<ExpressionLimits> | undefined): Readonly<ExpressionLimits> {
  if (!limits) return DEFAULT_EXPRESSION_LIMITS;
  const r = { ...DEFAULT_EXPRESSION_LIMITS, ...limits };
  for (const k of Object.keys(DEFAULT_EXPRESSION_LIMITS) as (keyof ExpressionLimits)[]) {
    const v = r[k];
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new RangeError(`expression limit ${k} must be a non-negative number`);
  }
  return r;
}
