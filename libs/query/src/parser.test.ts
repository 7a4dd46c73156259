import { describe, expect, test } from 'vitest';
import type { QueryNode } from './ast.js';
import { formatQueryError, QueryError, QueryLimitError, QuerySyntaxError } from './errors.js';
import { parseIsoTimestamp, parseQuery } from './parser.js';
import { printQuery } from './printer.js';

const cmp = (path: string, op: string, value: unknown): QueryNode => ({ type: 'cmp', path: path.split('.'), op, value }) as QueryNode;

function errorOf(text: string): QueryError {
  try {
    parseQuery(text);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseQuery: terms', () => {
  test.each([
    ['input.user_id = 42', cmp('input.user_id', '=', 42)],
    ['input.user_id != 42', cmp('input.user_id', '!=', 42)],
    ['output.n < -1.5', cmp('output.n', '<', -1.5)],
    ['output.n <= 0', cmp('output.n', '<=', 0)],
    ['variables.x > 1e3', cmp('variables.x', '>', 1000)],
    ['variables.x >= 2.5E-1', cmp('variables.x', '>=', 0.25)],
    ['variables.x = 1e+21', cmp('variables.x', '=', 1e21)],
    ['input.name ^= "Ali"', cmp('input.name', '^=', 'Ali')],
    ['input.name^=Ali', cmp('input.name', '^=', 'Ali')],
    ['input.code ^= 42', cmp('input.code', '^=', '42')],
    ['task.processData.output.metrics.count >= 10', cmp('task.processData.output.metrics.count', '>=', 10)],
    ['task.processData.input.a = x', cmp('task.processData.input.a', '=', 'x')],
    ['status = RUNNING', cmp('status', '=', 'RUNNING')],
    ['workflow = 123', cmp('workflow', '=', '123')],
    ['workflow ^= "billing/"', cmp('workflow', '^=', 'billing/')],
    ['input.ok = true', cmp('input.ok', '=', true)],
    ['input.ok = false', cmp('input.ok', '=', false)],
    ['input.ok = null', cmp('input.ok', '=', null)],
    ['input.ok = "true"', cmp('input.ok', '=', 'true')],
    ['input.ok = TRUE', cmp('input.ok', '=', 'TRUE')],
    ['input.id = 007', cmp('input.id', '=', '007')],
    ['input.v = 1.2.3', cmp('input.v', '=', '1.2.3')],
    ['input.v = -0', cmp('input.v', '=', 0)],
    ['input.v = a:b-c_d.e', cmp('input.v', '=', 'a:b-c_d.e')],
    ['input.v = ""', cmp('input.v', '=', '')],
    ['input.v = "say \\"hi\\" \\\\o/"', cmp('input.v', '=', 'say "hi" \\o/')],
    ['input.v = "AND"', cmp('input.v', '=', 'AND')],
    ['input = 5', cmp('input', '=', 5)],
    ['exists(input.user)', { type: 'exists', path: ['input', 'user'] }],
    ['EXISTS ( output )', { type: 'exists', path: ['output'] }],
    ['input."user id"."a.b" = 1', { type: 'cmp', path: ['input', 'user id', 'a.b'], op: '=', value: 1 }],
    ['task."my task".output.x = 1', { type: 'cmp', path: ['task', 'my task', 'output', 'x'], op: '=', value: 1 }],
    ['"input".x-y = 1', cmp('input.x-y', '=', 1)],
  ])('%s', (text, expected) => {
    expect(parseQuery(text)).toEqual(expected);
  });

  test('created takes ms or ISO timestamps (UTC date, Z or offset)', () => {
    expect(parseQuery('created >= 1714564800000')).toEqual(cmp('created', '>=', 1714564800000));
    expect(parseQuery('created >= 2024-05-01T12:00:00Z')).toEqual(cmp('created', '>=', Date.UTC(2024, 4, 1, 12)));
    expect(parseQuery('created < 2024-05-01')).toEqual(cmp('created', '<', Date.UTC(2024, 4, 1)));
    expect(parseQuery('created = "2024-05-01T14:00:00.250+02:00"')).toEqual(cmp('created', '=', Date.UTC(2024, 4, 1, 12, 0, 0, 250)));
    expect(new Date(parseIsoTimestamp('0099-01-01')!).getUTCFullYear()).toBe(99);
    for (const bad of ['2024-02-30', '2024-13-01', '2024-05-01T12:00:00', '2024-05-01T24:00Z', '2024-5-1']) expect(parseIsoTimestamp(bad)).toBeUndefined();
  });
});

describe('parseQuery: AND, OR, NOT, parentheses', () => {
  const a = cmp('input.a', '=', 1);
  const b = cmp('input.b', '=', 2);
  const c = cmp('input.c', '=', 3);

  test('AND binds tighter than OR, NOT tighter than AND', () => {
    expect(parseQuery('input.a = 1 OR input.b = 2 AND input.c = 3')).toEqual({ type: 'or', children: [a, { type: 'and', children: [b, c] }] });
    expect(parseQuery('input.a = 1 AND input.b = 2 OR input.c = 3')).toEqual({ type: 'or', children: [{ type: 'and', children: [a, b] }, c] });
    expect(parseQuery('NOT input.a = 1 AND input.b = 2')).toEqual({ type: 'and', children: [{ type: 'not', child: a }, b] });
  });

  test('chains are flat; parentheses group', () => {
    expect(parseQuery('input.a = 1 AND input.b = 2 AND input.c = 3')).toEqual({ type: 'and', children: [a, b, c] });
    expect(parseQuery('(input.a = 1 OR input.b = 2) AND input.c = 3')).toEqual({ type: 'and', children: [{ type: 'or', children: [a, b] }, c] });
    expect(parseQuery('(input.a = 1 AND input.b = 2) AND input.c = 3')).toEqual({ type: 'and', children: [{ type: 'and', children: [a, b] }, c] });
    expect(parseQuery('NOT (input.a = 1 OR input.b = 2)')).toEqual({ type: 'not', child: { type: 'or', children: [a, b] } });
    expect(parseQuery('NOT NOT input.a = 1')).toEqual({ type: 'not', child: { type: 'not', child: a } });
    expect(parseQuery('((input.a = 1))')).toEqual(a);
  });

  test('keywords are case-insensitive and need no spaces around parentheses', () => {
    expect(parseQuery('input.a=1 and input.b=2 Or not(input.c=3)')).toEqual({
      type: 'or',
      children: [{ type: 'and', children: [a, b] }, { type: 'not', child: c }],
    });
    expect(parseQuery('input.a=1\n\tAND\r\ninput.b=2')).toEqual({ type: 'and', children: [a, b] });
  });

  test('a path segment may be named like a keyword', () => {
    expect(parseQuery('input.and = 1 OR input.not = 2')).toEqual({ type: 'or', children: [cmp('input.and', '=', 1), cmp('input.not', '=', 2)] });
  });

  test('printQuery prints the canonical text', () => {
    const text = 'input.a = 1 OR input.b = 2 AND NOT (input.c = 3 OR exists(task."my task".output.x))';
    expect(printQuery(parseQuery(text))).toBe(text);
    expect(printQuery(parseQuery('(input.a=1 and input.b="x y") and input.c^="AND"'))).toBe('(input.a = 1 AND input.b = "x y") AND input.c ^= "AND"');
  });
});

describe('parseQuery: errors', () => {
  test.each([
    ['', 'QUERY_SYNTAX', 0, 'empty query'],
    ['   ', 'QUERY_SYNTAX', 3, 'empty query'],
    ['input.user_id =', 'QUERY_SYNTAX', 15, 'expected a value after "=" at 15'],
    ['input.user_id = ', 'QUERY_SYNTAX', 16, 'expected a value after "=" at 16'],
    ['input.user_id = )', 'QUERY_SYNTAX', 16, 'expected a value after "="'],
    ['input.a = 1 input.b = 2', 'QUERY_SYNTAX', 12, 'terms are not joined implicitly'],
    ['input.a = hello world', 'QUERY_SYNTAX', 16, 'before "world"'],
    ['input.a = 1 (input.b = 2)', 'QUERY_SYNTAX', 12, 'terms are not joined implicitly'],
    ['input.a = 1 AND', 'QUERY_SYNTAX', 15, 'after AND'],
    ['input.a = 1 OR OR input.b = 2', 'QUERY_SYNTAX', 15, 'found OR'],
    ['AND input.a = 1', 'QUERY_SYNTAX', 0, 'found AND'],
    ['input.a = AND', 'QUERY_SYNTAX', 10, 'found AND (quote it'],
    ['input.a', 'QUERY_SYNTAX', 7, 'expected an operator'],
    ['input.a == 1', 'QUERY_SYNTAX', 9, 'expected a value after "="'],
    ['input.a ~ 1', 'QUERY_SYNTAX', 8, 'expected an operator'],
    ['input.a = 1)', 'QUERY_SYNTAX', 11, 'unexpected ")"'],
    ['(input.a = 1', 'QUERY_SYNTAX', 12, 'expected AND, OR or ")"'],
    ['()', 'QUERY_SYNTAX', 1, 'found ")"'],
    ['input.a = 1 $', 'QUERY_SYNTAX', 12, 'unexpected character "$"'],
    ['input. = 1', 'QUERY_SYNTAX', 6, 'expected a path segment after "."'],
    ['input.1 = 1', 'QUERY_SYNTAX', 6, 'expected a path segment'],
    ['= 1', 'QUERY_SYNTAX', 0, 'expected a path'],
    ['foo.bar = 1', 'QUERY_SYNTAX', 0, 'unknown field "foo"'],
    ['Input.a = 1', 'QUERY_SYNTAX', 0, 'unknown field "Input"'],
    ['tasks.t.input = 1', 'QUERY_SYNTAX', 0, 'unknown field "tasks"'],
    ['task = 1', 'QUERY_SYNTAX', 4, 'expected a task name'],
    ['task.t = 1', 'QUERY_SYNTAX', 6, 'expected "input" or "output" after the task name'],
    ['task.t.result = 1', 'QUERY_SYNTAX', 7, 'found "result"'],
    ['status.x = 1', 'QUERY_SYNTAX', 6, 'status has no fields'],
    ['status < 3', 'QUERY_SYNTAX', 7, '"<" does not apply to status'],
    ['created ^= 2024', 'QUERY_SYNTAX', 8, '"^=" does not apply to created'],
    ['created > yesterday', 'QUERY_SYNTAX', 10, 'expected a time'],
    ['created > "1714564800000"', 'QUERY_SYNTAX', 10, 'expected a time'],
    ['input.n < abc', 'QUERY_SYNTAX', 10, 'expected a number after "<"'],
    ['input.n > "5"', 'QUERY_SYNTAX', 10, 'expected a number after ">"'],
    ['input.n = 1e999', 'QUERY_SYNTAX', 10, 'out of range'],
    ['input.s = "abc', 'QUERY_SYNTAX', 10, 'unterminated quoted text'],
    ['input.s = "a\\nb"', 'QUERY_SYNTAX', 12, 'invalid escape "\\\\n"'],
    ['input."unterminated = 1', 'QUERY_SYNTAX', 6, 'unterminated'],
    ['exists(input.a', 'QUERY_SYNTAX', 14, 'expected ")" after the path of exists(input.a'],
    ['exists()', 'QUERY_SYNTAX', 7, 'expected a path'],
    ['exists input.a', 'QUERY_SYNTAX', 6, 'expected "(" after exists'],
    ['exists(input.a) = 1', 'QUERY_SYNTAX', 16, 'unexpected character "="'],
  ])('%j', (text, code, position, message) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(QuerySyntaxError);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.message.endsWith(` at ${position}`)).toBe(true);
    expect(error.position).toBe(position);
  });

  test('formatQueryError points at the position', () => {
    const text = 'input.user_id =';
    expect(formatQueryError(text, errorOf(text))).toBe('expected a value after "=" at 15\n  input.user_id =\n                 ^');
    const multi = 'input.a = 1 AND\ninput.b = ';
    expect(formatQueryError(multi, errorOf(multi))).toBe('expected a value after "=" at 26\n  input.b = \n            ^');
    const long = `input.a = "${'x'.repeat(100)}" AND input.b = 1 input.c = 2 AND input.d = "${'y'.repeat(100)}"`;
    const formatted = formatQueryError(long, errorOf(long)).split('\n');
    expect(formatted[1]!.startsWith('  ...')).toBe(true);
    expect(formatted[1]!.endsWith('...')).toBe(true);
    expect(formatted[1]![formatted[2]!.length - 1]).toBe('i'); // caret under "input.c"
  });
});

describe('parseQuery: limits', () => {
  const limitOf = (text: string): QueryLimitError => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(QueryLimitError);
    expect(error.code).toBe('QUERY_LIMIT');
    return error as QueryLimitError;
  };

  test('text up to 2 KiB (UTF-8 bytes)', () => {
    const fits = `input.s = "${'x'.repeat(100)}"`;
    const pad = ' '.repeat(2048 - fits.length);
    expect(() => parseQuery(fits + pad)).not.toThrow();
    expect(limitOf(fits + pad + ' ')).toMatchObject({ limit: 'textBytes', max: 2048, position: 0 });
    const euro = `input.s = "${'€'.repeat(100)}"`; // 3 bytes each
    expect(() => parseQuery(euro + ' '.repeat(2048 - (euro.length + 200)))).not.toThrow();
    expect(limitOf(euro + ' '.repeat(2048 - (euro.length + 199)))).toMatchObject({ limit: 'textBytes' });
  });

  test('at most 64 terms', () => {
    const terms = (n: number): string => Array.from({ length: n }, (_, i) => `input.a = ${i}`).join(' OR ');
    expect(() => parseQuery(terms(64))).not.toThrow();
    const error = limitOf(terms(65));
    expect(error).toMatchObject({ limit: 'terms', max: 64 });
    expect(error.position).toBe(terms(64).length + 4);
    expect(limitOf(Array.from({ length: 65 }, () => 'exists(input)').join(' AND ')).limit).toBe('terms');
  });

  test('nesting depth at most 16 (parentheses and NOT)', () => {
    expect(() => parseQuery(`${'('.repeat(16)}input.a = 1${')'.repeat(16)}`)).not.toThrow();
    expect(limitOf(`${'('.repeat(17)}input.a = 1${')'.repeat(17)}`)).toMatchObject({ limit: 'depth', max: 16, position: 16 });
    expect(() => parseQuery(`${'NOT '.repeat(16)}input.a = 1`)).not.toThrow();
    expect(limitOf(`${'NOT '.repeat(8)}${'('.repeat(9)}input.a = 1${')'.repeat(9)}`)).toMatchObject({ limit: 'depth', position: 40 });
    expect(limitOf('('.repeat(1000)).limit).toBe('depth');
  });

  test('paths at most 8 segments below the document part', () => {
    expect(() => parseQuery('input.a.b.c.d.e.f.g.h = 1')).not.toThrow();
    expect(() => parseQuery('task.t.output.a.b.c.d.e.f.g.h = 1')).not.toThrow();
    expect(limitOf('input.a.b.c.d.e.f.g.h.i = 1')).toMatchObject({ limit: 'pathDepth', max: 8, position: 22 });
    expect(limitOf('exists(task.t.input.a.b.c.d.e.f.g.h.i)')).toMatchObject({ limit: 'pathDepth', position: 36 });
  });

  test('string values at most 128 characters', () => {
    expect(() => parseQuery(`input.s = ${'x'.repeat(128)}`)).not.toThrow();
    expect(limitOf(`input.s = ${'x'.repeat(129)}`)).toMatchObject({ limit: 'valueLength', max: 128, position: 10 });
    expect(limitOf(`input.s ^= "${'x'.repeat(129)}"`)).toMatchObject({ limit: 'valueLength', position: 11 });
  });
});
