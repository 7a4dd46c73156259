import { describe, expect, it } from 'vitest';
import { clearExpressionCache, compileCached, compileExpression, ExpressionError } from './index.js';
import { thrown } from '../../test/thrown.js';

const errorOf = (f: () => unknown): ExpressionError => thrown(f, ExpressionError);

describe('syntax errors', () => {
  it.each([
    ['.a | | .b', 5, 'expected a term'],
    ['{a: }', 4, 'expected a term'],
    ['.[1', 3, "expected ']' or ':'"],
    ['"abc', 0, 'unterminated string'],
    ['if . then 1', 11, "expected 'elif', 'else' or 'end'"],
    ['[1, 2', 5, "expected ']'"],
    ['f(1; 2', 6, "expected ';' or ')'"],
    ['. as [$a | $a', 9, "expected ',' or ']'"],
    ['1 == 2 == 3', 7, 'comparisons do not chain'],
    ['{(1, 2) 3}', 8, "expected ',' or '}'"],
    ['.a ~ .b', 3, "unexpected character '~'"],
    ['"\\q"', 1, 'invalid escape'],
    ['"x \\(.a"', 7, 'unterminated string'],
    ['"x \\(.a', 7, 'unterminated string interpolation'],
    ['Hello \\(.name)!', 6, "unexpected character '\\'"],
    ['.a )', 3, 'expected an operator or end of expression'],
    ['$', 0, "expected a variable name after '$'"],
  ])('%s fails at position %i', (text, position, message) => {
    const e = errorOf(() => compileExpression(text));
    expect(e.code).toBe('EXPRESSION_ERROR');
    expect(e.expression).toBe(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
    expect(e.message).toContain(`position ${position}`);
  });
});

describe('unsupported syntax is an error that says so', () => {
  it.each([
    'def f: 1; f', '.[1:] |= 1', 'path(first(.a))', 'del(.a + 1)', 'path(1)', '$__loc__', '$ENV', 'limit(1; .a) = 1',
    'label $out | 1', '. as [$a] ?// $a | $a', 'input', 'env', '@base32', '@base32 "x\\(.)"', '(try .a catch 1) |= 1', 'todate',
    'import "a" as a; .', '. as {(.k): $v} | $v',
  ])('%s', (text) => {
    const e = errorOf(() => compileExpression(text).evaluate({ a: 1 }));
    expect(e.code).toBe('EXPRESSION_ERROR');
    expect(e.message).toMatch(/not supported/);
  });
});

describe('evaluation API', () => {
  it('returns all outputs, binds variables, and evaluateOne takes the first', () => {
    const c = compileExpression('.[] | . + $n');
    expect(c.evaluate([1, 2], { n: 10 })).toEqual([11, 12]);
    expect(c.evaluateOne([1, 2], { n: 10 })).toBe(11);
    expect(c.text).toBe('.[] | . + $n');
    expect(c.evaluate([1], { $n: 5 })).toEqual([6]);
  });

  it('evaluateOne raises an ExpressionError when there is no output', () => {
    const e = errorOf(() => compileExpression('empty').evaluateOne(null));
    expect(e.message).toMatch(/no output/);
  });

  it('runtime errors carry jq messages and the error value', () => {
    const e = errorOf(() => compileExpression('.a.b').evaluate({ a: 5 }));
    expect(e.message).toBe('Cannot index number with string ("b")');
    expect(e.position).toBe(-1);
    const v = errorOf(() => compileExpression('error({code: 1})').evaluate(null));
    expect(v.value).toEqual({ code: 1 });
  });

  it('an unbound variable is an ExpressionError', () => {
    expect(errorOf(() => compileExpression('$nope').evaluate(null)).message).toBe('$nope is not defined');
    expect(errorOf(() => compileExpression('$toString').evaluate(null)).message).toBe('$toString is not defined');
  });

  it('does not swallow errors raised after a try body produced its output', () => {
    expect(() => compileExpression('try 1 catch 2 | error("after")').evaluate(null)).toThrow('after');
    expect(compileExpression('[.[] | try error(.) catch ("c" + .)]').evaluate(['a', 'b'])).toEqual([['ca', 'cb']]);
  });

  it('never leaks a JavaScript exception', () => {
    expect(errorOf(() => compileExpression('[1114112] | implode').evaluate(null)).code).toBe('EXPRESSION_ERROR');
    let deep: unknown = 1;
    for (let i = 0; i < 20000; i++) deep = [deep];
    expect(errorOf(() => compileExpression('[..] | length').evaluate(deep)).message).toMatch(/too deeply nested/);
  });

  it('keeps a __proto__ key as data', () => {
    const out = compileExpression('{"__proto__": 1} + {a: 2} | keys').evaluate(null);
    expect(out).toEqual([['__proto__', 'a']]);
  });

  it('caches compiled expressions by text', () => {
    clearExpressionCache();
    const a = compileCached('.x + 1');
    expect(compileCached('.x + 1')).toBe(a);
    expect(a.evaluate({ x: 1 })).toEqual([2]);
    for (let i = 0; i < 1000; i++) compileCached(`. + ${i}`);
    expect(compileCached('.x + 1')).not.toBe(a);
  });

  it('does not mutate its input', () => {
    const input = { a: { b: 1 }, l: [3, 1, 2] };
    const copy = structuredClone(input);
    compileExpression('[. * {a: {c: 2}}, (.l | sort), (. + {z: 1}), (.a + {q: 1})]').evaluate(input);
    expect(input).toEqual(copy);
  });
});
