import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CircularReferenceError, CorruptedDataError, UnsupportedValueError } from '../errors/errors.js';
import { assertJsonValue, fromJsonBytes, toJsonBytes } from './json-bytes.js';

describe('toJsonBytes / fromJsonBytes', () => {
  test('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(fromJsonBytes(toJsonBytes(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  test('round-trips unicode text byte-exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(fromJsonBytes(toJsonBytes({ text }))).toEqual({ text });
      }),
    );
  });

  test.each([
    ['bigint', { a: { b: 1n } }, 'input.a.b', 'bigint'],
    ['NaN', { items: [1, Number.NaN] }, 'input.items[1]', 'NaN'],
    ['Infinity', { x: -Infinity }, 'input.x', 'Infinity'],
    ['function', { f: () => 1 }, 'input.f', 'function'],
    ['undefined property', { u: undefined }, 'input.u', 'undefined'],
    ['symbol', [Symbol('s')], 'input[0]', 'symbol'],
    ['Date', { when: new Date(0) }, 'input.when', 'Date'],
    ['Map', { m: new Map() }, 'input.m', 'Map'],
    ['odd key', { 'a b': { c: Number.NaN } }, 'input["a b"].c', 'NaN'],
  ])('refuses %s with a typed error naming the path', (_, value, path, kind) => {
    const error = (() => {
      try {
        toJsonBytes(value, { path: 'input' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnsupportedValueError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_VALUE', path, valueKind: kind });
  });

  test('refuses circular references, naming where the cycle closes', () => {
    const value: Record<string, unknown> = { a: { b: {} } };
    (value['a'] as { b: Record<string, unknown> }).b['back'] = value;
    expect(() => assertJsonValue(value, 'input')).toThrow(CircularReferenceError);
    expect(() => assertJsonValue(value, 'input')).toThrow('circular reference at input.a.b.back');
  });

  test('shared (non-circular) references are fine', () => {
    const shared = { x: 1 };
    expect(fromJsonBytes(toJsonBytes({ a: shared, b: shared }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  test('malformed JSON bytes give CorruptedDataError', () => {
    expect(() => fromJsonBytes(Buffer.from('{"a":'))).toThrow(CorruptedDataError);
  });
});
