import type { Env, Filter, FilterArgs } from './compiler.js';
import { JqRuntimeError } from './expression-error.js';
import { charge, checkArrayLength, tick } from './limits.js';
import { BINARY, compare, describe, index, setKey, sortKeys, truthy, typeOf } from './values.js';

type Obj = Record<string, unknown>;
const add = BINARY['+'] as (a: unknown, b: unknown) => unknown;

function array(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw new JqRuntimeError(`${describe(x)} cannot be ${what}, as it is not an array`);
  return x;
}

function contains(a: unknown, b: unknown): boolean {
  charge(2);
  const ta = typeOf(a);
  if (ta !== typeOf(b)) throw new JqRuntimeError(`${describe(a)} and ${describe(b)} cannot have their containment checked`);
  if (ta === 'object') {
    return Object.keys(b as Obj).every((k) => Object.prototype.hasOwnProperty.call(a, k) && contains((a as Obj)[k], (b as Obj)[k]));
  }
  if (ta === 'array') return (b as unknown[]).every((y) => (a as unknown[]).some((x) => typeOf(x) === typeOf(y) && contains(x, y)));
  if (ta === 'string') return (a as string).includes(b as string);
  return compare(a, b) === 0;
}

const checkLength = (a: unknown[]): unknown[] => { checkArrayLength(a.length); return a; };

function fromEntries(x: unknown): Obj {
  const out: Obj = {};
  for (const e of iterate(x)) {
    // jq 1.8.2: .key // .name // .Name // .Key, and .value if present else .Value
    let k: unknown = null;
    for (const alt of ['key', 'name', 'Name', 'Key']) { k = index(e, alt); if (truthy(k)) break; }
    if (!truthy(k)) k = null;
    if (typeof k !== 'string') throw new JqRuntimeError(`Cannot use ${describe(k)} as object key`);
    const hasValue = typeOf(e) === 'object' && Object.prototype.hasOwnProperty.call(e, 'value');
    setKey(out, k, hasValue ? (e as Obj).value : index(e, 'Value'));
  }
  return out;
}

function iterate(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (typeOf(x) === 'object') return Object.values(x as object);
  throw new JqRuntimeError(`Cannot iterate over ${describe(x)}`);
}

function uniqueSorted(items: unknown[]): unknown[] {
  const s = items.slice().sort(compare);
  return s.filter((v, i) => i === 0 || compare(v, s[i - 1]) !== 0);
}

function flatten(x: unknown, depth: number, out: unknown[] = []): unknown[] {
  if (depth < 0) throw new JqRuntimeError('flatten depth must not be negative');
  for (const v of array(x, 'flattened')) {
    tick();
    if (Array.isArray(v) && depth > 0) flatten(v, depth - 1, out);
    else if (out.push(v) > 1000) checkArrayLength(out.length);
  }
  return out;
}

/** Collection builtins computed from values. */
export const COLLECTION_BUILTINS: Record<string, (x: unknown, ...a: unknown[]) => unknown> = {
  'keys/0': (x) => {
    if (Array.isArray(x)) return x.map((_v, i) => i);
    if (typeOf(x) === 'object') return sortKeys(Object.keys(x as Obj));
    throw new JqRuntimeError(`${describe(x)} has no keys`);
  },
  'keys_unsorted/0': (x) => {
    if (Array.isArray(x)) return x.map((_v, i) => i);
    if (typeOf(x) === 'object') return Object.keys(x as Obj);
    throw new JqRuntimeError(`${describe(x)} has no keys`);
  },
  'has/1': (x, k) => {
    if (typeOf(x) === 'object' && typeof k === 'string') return Object.prototype.hasOwnProperty.call(x, k);
    if (Array.isArray(x) && typeof k === 'number') return k >= 0 && k < x.length;
    throw new JqRuntimeError(`Cannot check whether ${typeOf(x)} has a ${typeOf(k)} key`);
  },
  'contains/1': contains,
  'inside/1': (x, b) => contains(b, x),
  'add/0': (x) => { let acc: unknown = null; for (const v of iterate(x)) acc = add(acc, v); return acc; },
  'to_entries/0': (x) => {
    if (Array.isArray(x)) return x.map((value, key) => ({ key, value }));
    if (typeOf(x) !== 'object') throw new JqRuntimeError(`${describe(x)} has no keys`);
    return Object.keys(x as Obj).map((key) => ({ key, value: (x as Obj)[key] }));
  },
  'from_entries/0': fromEntries,
  'sort/0': (x) => array(x, 'sorted').slice().sort(compare),
  'unique/0': (x) => uniqueSorted(array(x, 'sorted')),
  'min/0': (x) => array(x, 'sorted').reduce<unknown>((m, v, i) => (i === 0 || compare(v, m) < 0 ? v : m), null),
  'max/0': (x) => array(x, 'sorted').reduce<unknown>((m, v, i) => (i === 0 || compare(v, m) >= 0 ? v : m), null),
  'first/0': (x) => index(x, 0),
  'last/0': (x) => index(x, -1),
  'reverse/0': (x) => {
    if (typeof x === 'string') { if (x === '') return []; throw new JqRuntimeError(`Cannot index string with number (${[...x].length - 1})`); }
    if (x === null) return [];
    return array(x, 'reversed').slice().reverse();
  },
  'flatten/0': (x) => checkLength(flatten(x, 1e9)),
  'flatten/1': (x, d) => { if (typeof d !== 'number') throw new JqRuntimeError('flatten depth must not be negative'); return checkLength(flatten(x, d)); },
  'any/0': (x) => iterate(x).some(truthy),
  'all/0': (x) => iterate(x).every(truthy),
};

const keyed = (f: Filter, x: unknown, env: Env, what: string): [unknown[], unknown][] =>
  array(x, what).map((v) => { const k: unknown[] = []; f(v, env, (o) => k.push(o)); return [k, v]; });
const byKey = (p: [unknown[], unknown], q: [unknown[], unknown]): number => compare(p[0], q[0]);

/** Collection builtins that take a filter argument (`sort_by(f)` ...). */
export const COLLECTION_FILTERS: Record<string, (a: FilterArgs) => Filter> = {
  'sort_by/1': ([f]) => (x, env, emit) => emit(keyed(f, x, env, 'sorted').sort(byKey).map((p) => p[1])),
  'group_by/1': ([f]) => (x, env, emit) => {
    const s = keyed(f, x, env, 'grouped').sort(byKey);
    const groups: unknown[][] = [];
    s.forEach((p, i) => { const g = groups[groups.length - 1]; if (g && compare(p[0], s[i - 1]?.[0]) === 0) g.push(p[1]); else groups.push([p[1]]); });
    emit(groups);
  },
  'unique_by/1': ([f]) => (x, env, emit) => {
    const s = keyed(f, x, env, 'sorted').sort(byKey);
    emit(s.filter((p, i) => i === 0 || compare(p[0], s[i - 1]?.[0]) !== 0).map((p) => p[1]));
  },
  'min_by/1': ([f]) => (x, env, emit) => {
    const s = keyed(f, x, env, 'sorted');
    emit(s.reduce<[unknown[], unknown] | null>((m, p) => (m === null || byKey(p, m) < 0 ? p : m), null)?.[1] ?? null);
  },
  'max_by/1': ([f]) => (x, env, emit) => {
    const s = keyed(f, x, env, 'sorted');
    emit(s.reduce<[unknown[], unknown] | null>((m, p) => (m === null || byKey(p, m) >= 0 ? p : m), null)?.[1] ?? null);
  },
};
