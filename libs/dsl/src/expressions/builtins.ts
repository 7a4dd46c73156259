import type { Emit, Env, Filter, FilterArgs } from './compiler.js';
import { StopSignal } from './compiler.js';
import { COLLECTION_BUILTINS, COLLECTION_FILTERS } from './builtins-collections.js';
import { JqRuntimeError } from './expression-error.js';
import { toText } from './formats.js';
import { charge, checkArrayLength, checkString, tick } from './limits.js';
import { describe, index, splitString, toJson, truthy, typeOf } from './values.js';

/** Raised at compile time for a function the subset does not implement. */
export class UnsupportedError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

/** A builtin taking its input and already-evaluated argument values. */
export type ValueFn = (x: unknown, ...args: unknown[]) => unknown;

const num = (name: string, f: (n: number) => number): ValueFn => (x) => {
  if (typeof x !== 'number') throw new JqRuntimeError(`${describe(x)} number required`);
  return f(x);
};
const str = (name: string, f: (s: string) => unknown): ValueFn => (x) => {
  if (typeof x !== 'string') throw new JqRuntimeError(`${describe(x)} cannot be ${name}d`);
  return f(x);
};
const strPair = (name: string, f: (s: string, t: string) => unknown): ValueFn => (x, a) => {
  if (typeof x !== 'string' || typeof a !== 'string') throw new JqRuntimeError(`${name}() requires string inputs`);
  return f(x, a);
};

const REGEX_CACHE = new Map<string, RegExp>();
function regex(re: unknown, flags: unknown): RegExp {
  if (typeof re !== 'string') throw new JqRuntimeError(`${typeOf(re)} not a string or array`);
  const f = flags === null || flags === undefined ? '' : flags;
  if (typeof f !== 'string') throw new JqRuntimeError(`${describe(f)} is not a string`);
  const key = `${f}/${re}`;
  let r = REGEX_CACHE.get(key);
  if (!r) {
    let js = 'u';
    for (const c of f) {
      if (c === 'i') js += 'i';
      else if (c === 's') js += 's';
      else if (c !== 'g') throw new JqRuntimeError(`regex flag '${c}' is not supported`);
    }
    try { r = new RegExp(re, js); } catch (e) { throw new JqRuntimeError(`${re} (at offset 0) is not a valid regex: ${(e as Error).message}`); }
    if (REGEX_CACHE.size > 500) REGEX_CACHE.clear();
    REGEX_CACHE.set(key, r);
  }
  return r;
}

function length(x: unknown): number {
  switch (typeOf(x)) {
    case 'null': return 0;
    case 'number': return Math.abs(x as number);
    case 'string': { let n = 0; for (const _ of x as string) n++; return n; }
    case 'array': return (x as unknown[]).length;
    case 'object': return Object.keys(x as object).length;
    default: throw new JqRuntimeError(`${describe(x)} has no length`);
  }
}

function tonumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(x)) return Number(x);
  throw new JqRuntimeError(`${describe(x)} cannot be parsed as a number`);
}

function fromjson(x: unknown): unknown {
  if (typeof x !== 'string') throw new JqRuntimeError(`${describe(x)} only strings can be parsed`);
  try { return JSON.parse(x) as unknown; } catch (e) { throw new JqRuntimeError(`${(e as Error).message} (while parsing '${x}')`); }
}

function join(x: unknown, sep: unknown): unknown {
  if (!Array.isArray(x) && typeOf(x) !== 'object') throw new JqRuntimeError(`Cannot iterate over ${describe(x)}`);
  const items = Array.isArray(x) ? x : Object.values(x as object);
  if (!items.length) return '';
  charge(items.length);
  if (typeof sep !== 'string') throw new JqRuntimeError(`${describe(sep)} and string ("") cannot be added`);
  return checkString(items.map((v: unknown) => {
    if (v === null) return '';
    if (typeof v === 'object') throw new JqRuntimeError(`string ("") and ${describe(v)} cannot be added`);
    return typeof v === 'string' ? v : toJson(v);
  }).join(sep));
}

/** Builtins computed from the input and their arguments' values (cartesian over argument outputs). */
const VALUE_BUILTINS: Record<string, ValueFn> = {
  'length/0': length,
  'utf8bytelength/0': str('utf8bytelength', (s) => new TextEncoder().encode(s).length),
  'not/0': (x) => !truthy(x),
  'type/0': typeOf,
  'tostring/0': toText,
  'tonumber/0': tonumber,
  'tojson/0': toJson,
  'fromjson/0': fromjson,
  'ascii_downcase/0': str('ascii_downcase', (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())),
  'ascii_upcase/0': str('ascii_upcase', (s) => s.replace(/[a-z]/g, (c) => c.toUpperCase())),
  'explode/0': str('explode', (s) => { const a = [...s]; checkArrayLength(a.length); return a.map((c) => c.codePointAt(0)); }),
  'implode/0': (x) => {
    if (!Array.isArray(x)) throw new JqRuntimeError('Cannot implode, input must be an array');
    checkArrayLength(x.length);
    charge(x.length);
    return String.fromCodePoint(...x.map((c) => { if (typeof c !== 'number') throw new JqRuntimeError('Unicode codepoint must be numeric'); return c; }));
  },
  'floor/0': num('floor', Math.floor),
  'ceil/0': num('ceil', Math.ceil),
  'round/0': num('round', (n) => (n < 0 ? -Math.round(-n) : Math.round(n))),
  'sqrt/0': num('sqrt', Math.sqrt),
  'fabs/0': num('fabs', Math.abs),
  'now/0': () => Date.now() / 1000,
  'isnan/0': num('isnan', (n) => (Number.isNaN(n) ? 1 : 0)),
  'join/1': join,
  'split/1': (x, s) => {
    if (typeof x !== 'string' || typeof s !== 'string') throw new JqRuntimeError('split input and separator must be strings');
    const parts = splitString(x, s);
    checkArrayLength(parts.length);
    return parts;
  },
  'test/1': (x, re) => { if (typeof x !== 'string') throw new JqRuntimeError(`${describe(x)} cannot be matched, as it is not a string`); return regex(re, null).test(x); },
  'test/2': (x, re, f) => { if (typeof x !== 'string') throw new JqRuntimeError(`${describe(x)} cannot be matched, as it is not a string`); return regex(re, f).test(x); },
  'startswith/1': strPair('startswith', (s, t) => s.startsWith(t)),
  'endswith/1': strPair('endswith', (s, t) => s.endsWith(t)),
  'ltrimstr/1': strPair('startswith', (s, t) => (s.startsWith(t) ? s.slice(t.length) : s)),
  'rtrimstr/1': strPair('endswith', (s, t) => (t !== '' && s.endsWith(t) ? s.slice(0, -t.length) : s)),
  'getpath/1': (x, p) => {
    if (!Array.isArray(p)) throw new JqRuntimeError('Path must be specified as an array');
    let v = x;
    for (const k of p) { tick(); if (v === null) return null; v = index(v, k); }
    return v;
  },
  ...COLLECTION_BUILTINS,
};

const collectFirst = (f: Filter, x: unknown, env: Env): unknown[] => {
  const out: unknown[] = [];
  f(x, env, (v) => out.push(v));
  return out;
};

/** Calls `f`, stopping it after `n` outputs. */
function take(f: Filter, x: unknown, env: Env, n: number, emit: Emit): void {
  if (n <= 0) return;
  let seen = 0;
  const signal = new StopSignal({});
  try {
    f(x, env, (v) => { seen++; emit(v); if (seen >= n) throw signal; });
  } catch (e) {
    if (e !== signal) throw e;
  }
}

/** Builtins that need their arguments as filters (closures). */
const FILTER_BUILTINS: Record<string, (a: FilterArgs) => Filter> = {
  'empty/0': () => () => undefined,
  'error/0': () => (x) => { throw new JqRuntimeError(x); },
  'error/1': ([m]) => (x, env) => m(x, env, (v) => { throw new JqRuntimeError(v); }),
  'select/1': ([f]) => (x, env, emit) => f(x, env, (c) => { if (truthy(c)) emit(x); }),
  'map/1': ([f]) => (x, env, emit) => {
    if (!Array.isArray(x) && typeOf(x) !== 'object') throw new JqRuntimeError(`Cannot iterate over ${describe(x)}`);
    const out: unknown[] = [];
    const push = (v: unknown): void => { out.push(v); };
    const items = Array.isArray(x) ? x : Object.values(x as object);
    for (let i = 0; i < items.length; i++) { tick(); f(items[i], env, push); }
    emit(out);
  },
  'recurse/1': ([f]) => {
    const rec: Filter = (x, env, emit) => { tick(); emit(x); f(x, env, (v) => rec(v, env, emit)); };
    return rec;
  },
  'first/1': ([f]) => (x, env, emit) => take(f, x, env, 1, emit),
  'last/1': ([f]) => (x, env, emit) => { let last: unknown; let any = false; f(x, env, (v) => { any = true; last = v; }); if (any) emit(last); },
  'limit/2': ([n, f]) => (x, env, emit) => n(x, env, (k) => {
    if (typeof k !== 'number') throw new JqRuntimeError('Invalid limit: must be a number');
    if (k < 0) throw new JqRuntimeError("limit doesn't support negative count");
    take(f, x, env, k, emit);
  }),
  'isempty/1': ([f]) => (x, env, emit) => { let any = false; take(f, x, env, 1, () => { any = true; }); emit(!any); },
  'range/1': ([n]) => (x, env, emit) => n(x, env, (to) => rangeEmit(0, to, 1, emit)),
  'range/2': ([a, b]) => (x, env, emit) => a(x, env, (from) => b(x, env, (to) => rangeEmit(from, to, 1, emit))),
  'range/3': ([a, b, c]) => (x, env, emit) => a(x, env, (from) => b(x, env, (to) => c(x, env, (by) => rangeEmit(from, to, by, emit)))),
  'any/1': ([f]) => (x, env, emit) => emit(iterate(x).some((v) => { tick(); return collectFirst(f, v, env).some(truthy); })),
  'all/1': ([f]) => (x, env, emit) => emit(iterate(x).every((v) => { tick(); return collectFirst(f, v, env).every(truthy); })),
  ...COLLECTION_FILTERS,
  'with_entries/1': ([f]) => {
    const toE = COLLECTION_BUILTINS['to_entries/0'] as ValueFn;
    const fromE = COLLECTION_BUILTINS['from_entries/0'] as ValueFn;
    return (x, env, emit) => { const out: unknown[] = []; for (const e of toE(x) as unknown[]) { tick(); f(e, env, (v) => out.push(v)); } emit(fromE(out)); };
  },
};

function iterate(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (typeOf(x) === 'object') return Object.values(x as object);
  throw new JqRuntimeError(`Cannot iterate over ${describe(x)}`);
}

function rangeEmit(from: unknown, to: unknown, by: unknown, emit: Emit): void {
  if (typeof from !== 'number' || typeof to !== 'number' || typeof by !== 'number') throw new JqRuntimeError('Range bounds must be numeric');
  if (by > 0) for (let i = from; i < to; i += by) { tick(); emit(i); }
  else if (by < 0) for (let i = from; i > to; i += by) { tick(); emit(i); }
}

const DERIVED: Record<string, string> = {
  'values/0': 'null', 'nulls/0': '=null', 'booleans/0': 'boolean', 'numbers/0': 'number', 'strings/0': 'string',
  'arrays/0': 'array', 'objects/0': 'object',
};

/** Compiles a call of a builtin with its arguments; throws UnsupportedError for others. */
export function compileBuiltin(name: string, args: Filter[], pos: number): Filter {
  const key = `${name}/${args.length}`;
  const fb = FILTER_BUILTINS[key];
  if (fb) return fb(args as FilterArgs);
  const vf = VALUE_BUILTINS[key];
  if (vf) {
    if (args.length === 0) return (x, _env, emit) => emit(vf(x));
    const [a, b] = args as FilterArgs;
    if (args.length === 1) { return (x, env, emit) => a(x, env, (v) => emit(vf(x, v))); }
    return (x, env, emit) => b(x, env, (w) => a(x, env, (v) => emit(vf(x, v, w))));
  }
  const d = DERIVED[key];
  if (d) {
    if (d === 'null') return (x, _env, emit) => { if (x !== null) emit(x); };
    const want = d === '=null' ? 'null' : d;
    return (x, _env, emit) => { if (typeOf(x) === want) emit(x); };
  }
  throw new UnsupportedError(`${key} is not supported (at position ${pos})`, pos);
}
