import { describe, expect, it } from 'vitest';
import { compileCached, compileExpression, DEFAULT_EXPRESSION_LIMITS, ExpressionError } from './index.js';
import { thrown } from '../../test/thrown.js';
import type { ExpressionLimits } from './index.js';

const failure = (f: () => unknown): ExpressionError => thrown(f, ExpressionError);

function timed(text: string, input: unknown = null, limits?: Partial<ExpressionLimits>): { error: ExpressionError; ms: number } {
  const start = performance.now();
  const error = failure(() => compileExpression(text).evaluate(input, {}, limits));
  return { error, ms: performance.now() - start };
}

describe('defaults', () => {
  it('are exported and frozen', () => {
    expect(DEFAULT_EXPRESSION_LIMITS).toEqual({ maxSteps: 10_000_000, maxOutputs: 100_000, maxStringLength: 10 * 1024 * 1024, maxArrayLength: 1_000_000 });
    expect(Object.isFrozen(DEFAULT_EXPRESSION_LIMITS)).toBe(true);
  });
});

describe('pathological expressions end with a typed error quickly (bounded by limits, not by time)', () => {
  it.each([
    ['range(1e12)', 'more than 100000 outputs (maxOutputs)'],
    ['[range(1e9)]', 'array longer than 1000000 items (maxArrayLength)'],
    ['[range(1e12)] | length', 'array longer than 1000000 items (maxArrayLength)'],
    ['reduce range(1e12) as $i (0; .+1)', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['foreach range(1e12) as $i (0; .+1; empty)', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['last(range(1e12))', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['"x" * 1e9', 'string longer than 10485760 characters (maxStringLength)'],
    ['reduce range(40) as $i ("x"; . + .)', 'string longer than 10485760 characters (maxStringLength)'],
    ['[limit(1e9; range(1e12))]', 'array longer than 1000000 items (maxArrayLength)'],
    ['[limit(1e9; 1 | recurse(.))] | length', 'call stack exceeded'],
    ['last(0 | recurse(. + 1))', 'call stack exceeded'],
    ['reduce range(1e6) as $i ([]; . + [$i])', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(1e6) as $i ({}; . + {"k\\($i)": 1})', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(1e6) as $i ({}; .["k\\($i)"] = 1)', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(1e6) as $i ([]; .[$i] = 1)', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['.[1e9] = 1', 'array longer than 1000000 items (maxArrayLength)'],
    ['reduce range(60) as $i (0; [., .]) | tojson', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(60) as $i (0; [., .]) | [..] | length', 'array longer than 1000000 items (maxArrayLength)'],
    ['reduce range(60) as $i (0; [., .]) | last(..)', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(60) as $i (0; [., .]) | . == .', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(60) as $i (0; [., .]) | flatten | length', 'array longer than 1000000 items (maxArrayLength)'],
    ['reduce range(60) as $i ({}; {a: ., b: .}) | . * . | length', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['reduce range(60) as $i (0; [., .]) | contains(.)', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['[range(2e6)] | length', 'array longer than 1000000 items (maxArrayLength)'],
    ['[range(999999)] | . + . | length', 'array longer than 1000000 items (maxArrayLength)'],
    ['[range(1e6) | "x"] | join("") * 20', 'string longer than 10485760 characters (maxStringLength)'],
    ['try (reduce range(1e12) as $i (0; .+1)) catch "caught"', 'evaluation exceeded 10000000 steps (maxSteps)'],
    ['(reduce range(1e12) as $i (0; .+1))?', 'evaluation exceeded 10000000 steps (maxSteps)'],
  ])('%s', (text, message) => {
    const { error, ms } = timed(text);
    expect(error.code).toBe('EXPRESSION_ERROR');
    expect(error.expression).toBe(text);
    expect(error.message).toContain(message);
    // Bounded, not timed: without the limits these run for hours; the margin absorbs a loaded CI machine.
    expect(ms).toBeLessThan(/\[\., \.\]|a: \., b: \.|k\\\(/.test(text) ? 15_000 : 5_000);
  });

  it('evaluateOne is bounded too', () => {
    const e = failure(() => compileExpression('reduce range(1e12) as $i (0; .+1)').evaluateOne(null));
    expect(e.message).toBe('evaluation exceeded 10000000 steps (maxSteps)');
    expect(compileExpression('range(1e12)').evaluateOne(null)).toBe(0);
  });
});

describe('normal expressions are unaffected', () => {
  it.each([
    ['[range(1000)] | add', null, [499500]],
    ['reduce range(100000) as $i (0; . + $i)', null, [4999950000]],
    ['[.[] | select(. > 1)] | length', [1, 2, 3], [2]],
    ['[..] | length', { a: [1, { b: 2 }] }, [5]],
    ['"ab" * 3', null, ['ababab']],
    ['[limit(3; range(1e12))]', null, [[0, 1, 2]]],
    ['first(range(1e12))', null, [0]],
    ['[range(1e5)] | length', null, [100000]],
    ['.[3] = 1', [], [[null, null, null, 1]]],
    ['try error("x") catch .', null, ['x']],
    ['[range(200000)] | [.] | flatten | length', null, [200000]],
  ])('%s', (text, input, expected) => {
    expect(compileCached(text).evaluate(input)).toEqual(expected);
  });

  it('each evaluation gets a fresh budget', () => {
    const c = compileCached('reduce range(3000000) as $i (0; . + 1)');
    for (let i = 0; i < 3; i++) expect(c.evaluate(null)).toEqual([3000000]);
  });
});

describe('limits are configurable', () => {
  it('a tiny step limit trips on a modest loop', () => {
    const c = compileExpression('reduce range(1000) as $i (0; . + $i)');
    expect(c.evaluate(null)).toEqual([499500]);
    expect(failure(() => c.evaluate(null, {}, { maxSteps: 100 })).message).toBe('evaluation exceeded 100 steps (maxSteps)');
    expect(failure(() => c.evaluateOne(null, undefined, { maxSteps: 100 })).message).toBe('evaluation exceeded 100 steps (maxSteps)');
    // the defaults apply again afterwards
    expect(c.evaluateOne(null)).toBe(499500);
  });

  it('maxOutputs, maxStringLength and maxArrayLength', () => {
    expect(failure(() => compileExpression('range(10)').evaluate(null, {}, { maxOutputs: 5 })).message).toBe('evaluation produced more than 5 outputs (maxOutputs)');
    expect(compileExpression('range(5)').evaluate(null, {}, { maxOutputs: 5 })).toHaveLength(5);
    expect(failure(() => compileExpression('"abc" * 4').evaluate(null, {}, { maxStringLength: 10 })).message).toBe('evaluation produced a string longer than 10 characters (maxStringLength)');
    expect(failure(() => compileExpression('"\\(.)\\(.)"').evaluate('abcdef', {}, { maxStringLength: 10 })).message).toContain('maxStringLength');
    expect(failure(() => compileExpression('tojson').evaluate([1, 2, 3, 4, 5, 6], {}, { maxStringLength: 10 })).message).toContain('maxStringLength');
    expect(failure(() => compileExpression('[range(2000)]').evaluate(null, {}, { maxArrayLength: 1500 })).message).toBe('evaluation produced an array longer than 1500 items (maxArrayLength)');
    expect(failure(() => compileExpression('. + .').evaluate([1, 2, 3], {}, { maxArrayLength: 5 })).message).toContain('maxArrayLength');
    expect(failure(() => compileExpression('split("")').evaluate('abcdef', {}, { maxArrayLength: 5 })).message).toContain('maxArrayLength');
  });

  it('.[] and .. count steps', () => {
    expect(failure(() => compileExpression('[.[]]').evaluate([...Array(50).keys()], {}, { maxSteps: 10 })).message).toContain('10 steps');
    expect(failure(() => compileExpression('[..]').evaluate([...Array(50).keys()], {}, { maxSteps: 10 })).message).toContain('10 steps');
    expect(failure(() => compileExpression('map(. + 1)').evaluate([...Array(50).keys()], {}, { maxSteps: 10 })).message).toContain('10 steps');
  });

  it('rejects invalid limits', () => {
    expect(() => compileExpression('.').evaluate(null, {}, { maxSteps: -1 })).toThrow(RangeError);
  });
});
