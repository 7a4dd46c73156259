import { JqRuntimeError } from './expression-error.js';
import { charge, checkArrayLength, checkString, checkStringLength, OBJECT_KEY_STEPS, tick } from './limits.js';

/** A JSON value as seen by the evaluator. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, unknown>;

/** jq's type name of a value. */
export function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' ? 'object' : t;
}

/** jq truthiness: everything but `false` and `null`. */
export function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false;
}

const RANK: Record<string, number> = { null: 0, false: 1, true: 2, number: 3, string: 4, array: 5, object: 6 };
const rank = (v: unknown): number => {
  const t = typeOf(v);
  return t === 'boolean' ? (v ? 2 : 1) : (RANK[t] ?? 0);
};

function cmpStr(a: string, b: string): number {
  // jq compares strings by their UTF-8 bytes == code point order
  if (a === b) return 0;
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < ca.length && i < cb.length; i++) {
    const x = ca[i]?.codePointAt(0) ?? 0;
    const y = cb[i]?.codePointAt(0) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
export function compare(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 3:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 4:
      return cmpStr(a as string, b as string);
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < x.length && i < y.length; i++) {
        tick();
        const c = compare(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 6: {
      const ka = Object.keys(a as Obj).sort(cmpStr);
      const kb = Object.keys(b as Obj).sort(cmpStr);
      const c = compare(ka, kb);
      if (c) return c;
      for (const k of ka) {
        tick();
        const d = compare((a as Obj)[k], (b as Obj)[k]);
        if (d) return d;
      }
      return 0;
    }
    default:
      return 0;
  }
}

/** Sorts object keys the way jq does (by code point). */
export const sortKeys = (keys: string[]): string[] => keys.sort(cmpStr);

/** Serialises like jq's `tojson` (compact). */
export function toJson(v: unknown): string {
  const s = JSON.stringify(v, (_k, x: unknown) => { tick(); return typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? null : x > 0 ? 1.7976931348623157e308 : -1.7976931348623157e308) : x; });
  return s === undefined ? s : checkString(s);
}

/** jq's short description of a value in error messages: `number (1)`. */
export function describe(v: unknown): string {
  let s = toJson(v) ?? 'null';
  if (s.length > 29) {
    const close = typeof v === 'string' ? '"' : Array.isArray(v) ? ']' : typeOf(v) === 'object' ? '}' : '';
    s = `${s.slice(0, 25)}...${close}`;
  }
  return `${typeOf(v)} (${s})`;
}

/** `.[k]` with jq's rules. */
export function index(v: unknown, k: unknown): unknown {
  const tv = typeOf(v);
  if (typeof k === 'string') {
    if (tv === 'object') {
      const r = Object.prototype.hasOwnProperty.call(v, k) ? (v as Obj)[k] : undefined;
      return r === undefined ? null : r;
    }
    if (tv === 'null') return null;
    throw new JqRuntimeError(`Cannot index ${tv} with ${describe(k)}`);
  }
  if (typeof k === 'number') {
    if (tv === 'array') {
      const a = v as unknown[];
      if (Number.isNaN(k)) return null;
      let i = Math.floor(k);
      if (i < 0) i += a.length;
      const r = i >= 0 ? a[i] : undefined;
      return r === undefined ? null : r;
    }
    if (tv === 'null') return null;
    throw new JqRuntimeError(`Cannot index ${tv} with ${describe(k)}`);
  }
  if (tv === 'null' && (k === null || typeOf(k) === 'object')) return null;
  throw new JqRuntimeError(`Cannot index ${tv} with ${typeOf(k)}`);
}

/** `.[from:to]` on arrays, strings and null. */
export function slice(v: unknown, from: unknown, to: unknown): unknown {
  const tv = typeOf(v);
  if (tv === 'null') return null;
  if (tv !== 'array' && tv !== 'string') throw new JqRuntimeError(`Cannot index ${tv} with ${describe({ start: from, end: to })}`);
  if ((from !== null && typeof from !== 'number') || (to !== null && typeof to !== 'number')) {
    throw new JqRuntimeError('Array/string slice indices must be integers');
  }
  const items: unknown[] | string[] = tv === 'string' ? [...(v as string)] : (v as unknown[]);
  const len = items.length;
  const clamp = (x: number): number => Math.min(len, Math.max(0, x < 0 ? x + len : x));
  const s = from === null ? 0 : clamp(Math.floor(from as number));
  const e = to === null ? len : clamp(Math.ceil(to as number));
  const r = items.slice(s, Math.max(s, e));
  return tv === 'string' ? (r as string[]).join('') : r;
}

function deepMerge(a: Obj, b: Obj): Obj {
  const r: Obj = { ...a };
  for (const k of Object.keys(b)) {
    charge(OBJECT_KEY_STEPS);
    setKey(r, k, typeOf(r[k]) === 'object' && typeOf(b[k]) === 'object' ? deepMerge(r[k] as Obj, b[k] as Obj) : b[k]);
  }
  return r;
}

const fail = (a: unknown, b: unknown, verb: string): never => {
  throw new JqRuntimeError(`${describe(a)} and ${describe(b)} cannot be ${verb}`);
};

/** jq's binary operators. */
export const BINARY: Record<string, (a: unknown, b: unknown) => unknown> = {
  '+': (a, b) => {
    if (a === null) return b;
    if (b === null) return a;
    const ta = typeOf(a);
    if (ta === typeOf(b)) {
      if (ta === 'number') return (a as number) + (b as number);
      if (ta === 'string') return checkString((a as string) + (b as string));
      if (ta === 'array') {
        const n = (a as unknown[]).length + (b as unknown[]).length;
        checkArrayLength(n);
        charge(n);
        return (a as unknown[]).concat(b as unknown[]);
      }
      if (ta === 'object') { const r = { ...(a as Obj), ...(b as Obj) }; charge(OBJECT_KEY_STEPS * Object.keys(r).length); return r; }
    }
    return fail(a, b, 'added');
  },
  '-': (a, b) => {
    const ta = typeOf(a);
    const tb = typeOf(b);
    if (ta === 'number' && tb === 'number') return (a as number) - (b as number);
    if (ta === 'array' && tb === 'array') return (a as unknown[]).filter((x) => !(b as unknown[]).some((y) => compare(x, y) === 0));
    return fail(a, b, 'subtracted');
  },
  '*': (a, b) => {
    const ta = typeOf(a);
    const tb = typeOf(b);
    if (ta === 'number' && tb === 'number') return (a as number) * (b as number);
    if (ta === 'object' && tb === 'object') return deepMerge(a as Obj, b as Obj);
    const rep = (s: string, n: number): unknown => {
      if (n < 0) return null;
      const k = Math.floor(n);
      if (k > 0) checkStringLength(s.length * k);
      return s.repeat(k);
    };
    if (ta === 'string' && tb === 'number') return rep(a as string, b as number);
    if (ta === 'number' && tb === 'string') return rep(b as string, a as number);
    return fail(a, b, 'multiplied');
  },
  '/': (a, b) => {
    const ta = typeOf(a);
    const tb = typeOf(b);
    if (ta === 'number' && tb === 'number') {
      if (b === 0) fail(a, b, 'divided because the divisor is zero');
      return (a as number) / (b as number);
    }
    if (ta === 'string' && tb === 'string') return splitString(a as string, b as string);
    return fail(a, b, 'divided');
  },
  '%': (a, b) => {
    if (typeOf(a) === 'number' && typeOf(b) === 'number') {
      const bi = Math.trunc(b as number);
      if (bi === 0) fail(a, b, 'divided (remainder) because the divisor is zero');
      const r = Math.trunc(a as number) % Math.abs(bi);
      return r === 0 ? 0 : r;
    }
    return fail(a, b, 'divided (remainder)');
  },
  '==': (a, b) => compare(a, b) === 0,
  '!=': (a, b) => compare(a, b) !== 0,
  '<': (a, b) => compare(a, b) < 0,
  '<=': (a, b) => compare(a, b) <= 0,
  '>': (a, b) => compare(a, b) > 0,
  '>=': (a, b) => compare(a, b) >= 0,
};

/** jq's `split/1` and string division. */
export function splitString(s: string, sep: string): string[] {
  if (s === '') return [];
  return s.split(sep);
}

/** Sets an own property, also for the key `__proto__`. */
export function setKey(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
