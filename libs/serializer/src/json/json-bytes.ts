import { asUint8Array } from './bytes.js';
import { CircularReferenceError, CorruptedDataError, UnsupportedValueError } from '../errors/errors.js';

const MAX_DEPTH = 1000;

function formatPath(root: string, keys: readonly (string | number)[]): string {
  let path = root;
  for (const key of keys) {
    if (typeof key === 'number') path += `[${key}]`;
    else path += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return path;
}

function kindOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (Number.isFinite(value)) return undefined;
      return Number.isNaN(value) ? 'NaN' : 'Infinity';
    case 'object':
      return undefined;
    default:
      return typeof value; // bigint, function, undefined, symbol
  }
}

function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Throws a typed error naming the path of the first value that JSON cannot carry
 * faithfully: cycles, BigInt, NaN/Infinity, functions, symbols, `undefined` (also as a
 * property value) and non-plain objects (Date, Map, class instances, typed arrays).
 * JSON.stringify would silently drop, coerce or throw an untyped TypeError on these.
 */
export function assertJsonValue(value: unknown, path = 'value'): void {
  // Keys are kept on a stack and turned into a path string only when something is wrong:
  // the walk runs on every payload, the error path almost never.
  const ancestors: object[] = [];
  const keys: (string | number)[] = [];
  const visit = (current: unknown): void => {
    const bad = kindOf(current);
    if (bad !== undefined) throw new UnsupportedValueError(formatPath(path, keys), bad);
    if (current === null || typeof current !== 'object') return;
    if (ancestors.includes(current)) throw new CircularReferenceError(formatPath(path, keys));
    if (!isPlainContainer(current)) {
      const name = (current.constructor as { name?: string } | undefined)?.name ?? 'object';
      throw new UnsupportedValueError(formatPath(path, keys), name);
    }
    if (ancestors.length >= MAX_DEPTH) throw new UnsupportedValueError(formatPath(path, keys), `nesting deeper than ${MAX_DEPTH}`);
    ancestors.push(current);
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        keys.push(i);
        visit(current[i]);
        keys.pop();
      }
    } else {
      for (const key in current) {
        keys.push(key);
        visit((current as Record<string, unknown>)[key]);
        keys.pop();
      }
    }
    ancestors.pop();
  };
  visit(value);
}

/**
 * Encodes a JSON value as UTF-8 JSON text. With `validate` (the default) the value is
 * checked first by {@link assertJsonValue}; pass `validate: false` only for values that
 * came from `JSON.parse`, which cannot hold anything invalid.
 */
export function toJsonBytes(value: unknown, options: { path?: string; validate?: boolean } = {}): Uint8Array {
  const path = options.path ?? 'value';
  if (options.validate !== false) assertJsonValue(value, path);
  const text = JSON.stringify(value);
  if (text === undefined) throw new UnsupportedValueError(path, typeof value);
  return asUint8Array(Buffer.from(text, 'utf8'));
}

/** Decodes UTF-8 JSON text; malformed text raises {@link CorruptedDataError}. */
export function fromJsonBytes(bytes: Uint8Array, what = 'json payload'): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CorruptedDataError(what, 'not valid JSON text', { cause: error });
  }
}
