import type { Node } from './ast.js';
import { UnsupportedError } from './builtins.js';
import type { Emit, Env, Filter } from './compiler.js';
import { JqRuntimeError } from './expression-error.js';
import { charge, checkArrayLength, OBJECT_KEY_STEPS, tick } from './limits.js';
import { BINARY, compare, describe, index, setKey, truthy, typeOf } from './values.js';

/** Emits the paths (and the values there) a path expression selects. */
export type PathFilter = (x: unknown, p: unknown[], env: Env, emit: (p: unknown[], v: unknown) => void) => void;
type Obj = Record<string, unknown>;

/** Compiles a path expression (`.a`, `.[0]`, `.[]`, `|`, `,`, `select`, `..`, `if`, `?`, `getpath`, `empty`, `first`, `last`). */
export function compilePath(n: Node, compile: (n: Node) => Filter): PathFilter {
  const sub = (m: Node): PathFilter => compilePath(m, compile);
  switch (n.t) {
    case 'identity': return (x, p, _env, emit) => emit(p, x);
    case 'index': {
      const t = sub(n.target);
      const k = compile(n.key);
      const opt = n.opt === true;
      return (x, p, env, emit) => k(x, env, (key) => t(x, p, env, (p2, v) => {
        let r: unknown;
        try { r = index(v, key); } catch (e) { if (opt && e instanceof JqRuntimeError) return; throw e; }
        emit([...p2, key], r);
      }));
    }
    case 'each': {
      const t = sub(n.target);
      return (x, p, env, emit) => t(x, p, env, (p2, v) => {
        if (Array.isArray(v)) v.forEach((item, i) => { tick(); emit([...p2, i], item); });
        else if (typeOf(v) === 'object') for (const key of Object.keys(v as Obj)) { tick(); emit([...p2, key], (v as Obj)[key]); }
        else if (!n.opt) throw new JqRuntimeError(`Cannot iterate over ${describe(v)}`);
      });
    }
    case 'pipe': { const l = sub(n.l); const r = sub(n.r); return (x, p, env, emit) => l(x, p, env, (p2, v) => r(v, p2, env, emit)); }
    case 'comma': { const l = sub(n.l); const r = sub(n.r); return (x, p, env, emit) => { l(x, p, env, emit); r(x, p, env, emit); }; }
    case 'if': {
      const c = compile(n.cond);
      const th = sub(n.then);
      const el = n.else ? sub(n.else) : sub({ t: 'identity' });
      return (x, p, env, emit) => c(x, env, (v) => (truthy(v) ? th : el)(x, p, env, emit));
    }
    case 'try': {
      if (n.handler) break;
      const b = sub(n.body);
      return (x, p, env, emit) => {
        let downstream = false;
        try { b(x, p, env, (p2, v) => { downstream = true; emit(p2, v); downstream = false; }); } catch (e) {
          if (downstream || !(e instanceof JqRuntimeError)) throw e;
        }
      };
    }
    case 'recurse': {
      const rec: PathFilter = (x, p, env, emit) => {
        tick();
        emit(p, x);
        if (Array.isArray(x)) x.forEach((v, i) => rec(v, [...p, i], env, emit));
        else if (typeOf(x) === 'object') for (const k of Object.keys(x as Obj)) rec((x as Obj)[k], [...p, k], env, emit);
      };
      return rec;
    }
    case 'call': {
      const key = `${n.name}/${n.args.length}`;
      if (key === 'empty/0') return () => undefined;
      if (key === 'first/0' || key === 'last/0') return sub({ t: 'index', target: { t: 'identity' }, key: { t: 'lit', v: key === 'first/0' ? 0 : -1 } });
      if (key === 'select/1' && n.args[0]) {
        const f = compile(n.args[0]);
        return (x, p, env, emit) => f(x, env, (c) => { if (truthy(c)) emit(p, x); });
      }
      if (key === 'getpath/1' && n.args[0]) {
        const f = compile(n.args[0]);
        return (x, p, env, emit) => f(x, env, (q) => {
          if (!Array.isArray(q)) throw new JqRuntimeError('Path must be specified as an array');
          let v = x;
          for (const k of q) v = v === null ? null : index(v, k);
          emit([...p, ...q], v);
        });
      }
      break;
    }
    default:
  }
  throw new UnsupportedError(`this path expression (${n.t === 'call' ? `${n.name}/${n.args.length}` : n.t}) is not supported in path(), del(), paths or assignments`, 0);
}

/** jq's `setpath`: a copy of `x` with `v` at path `p`. */
export function setPath(x: unknown, p: unknown[], i: number, v: unknown): unknown {
  if (i === p.length) return v;
  const k = p[i];
  if (typeof k === 'string') {
    if (x !== null && typeOf(x) !== 'object') throw new JqRuntimeError(`Cannot index ${typeOf(x)} with ${describe(k)}`);
    const o: Obj = { ...(x as Obj | null) };
    charge(OBJECT_KEY_STEPS * Object.keys(o).length);
    setKey(o, k, setPath(index(x, k), p, i + 1, v));
    return o;
  }
  if (typeof k === 'number') {
    if (x !== null && !Array.isArray(x)) throw new JqRuntimeError(`Cannot index ${typeOf(x)} with number`);
    const a = x === null ? [] : (x as unknown[]).slice();
    let j = Math.floor(k);
    if (j < 0) { j += a.length; if (j < 0) throw new JqRuntimeError('Out of bounds negative array index'); }
    checkArrayLength(j + 1);
    charge(Math.max(a.length, j + 1));
    while (a.length < j) a.push(null);
    a[j] = setPath(index(x, j), p, i + 1, v);
    return a;
  }
  throw new JqRuntimeError(`Cannot update field at object index of ${typeOf(x)}`);
}

function deletePath(x: unknown, p: unknown[], i: number): unknown {
  if (x === null) return null;
  const k = p[i];
  const last = i === p.length - 1;
  if (Array.isArray(x) && typeof k === 'number') {
    const j = k < 0 ? Math.floor(k) + x.length : Math.floor(k);
    if (j < 0 || j >= x.length) return x;
    const a = x.slice();
    charge(a.length);
    if (last) a.splice(j, 1); else a[j] = deletePath(a[j], p, i + 1);
    return a;
  }
  if (typeOf(x) === 'object' && typeof k === 'string') {
    if (!Object.prototype.hasOwnProperty.call(x, k)) return x;
    const o: Obj = { ...(x as Obj) };
    charge(OBJECT_KEY_STEPS * Object.keys(o).length);
    if (last) delete o[k]; else setKey(o, k, deletePath(o[k], p, i + 1));
    return o;
  }
  throw new JqRuntimeError(`Cannot delete field at ${typeOf(k)} index of ${typeOf(x)}`);
}

/** jq's `delpaths`: deletes the longest/last paths first. */
export function deletePaths(x: unknown, paths: unknown[][]): unknown {
  let r = x;
  for (const p of paths.slice().sort(compare).reverse()) r = p.length ? deletePath(r, p, 0) : null;
  return r;
}

/** Compiles `lhs op rhs` for `=`, `|=`, `+=`, `-=`, `*=`, `/=`, `%=`, `//=`. */
export function compileAssign(op: string, lhs: PathFilter, rhs: Filter): Filter {
  const allPaths = (x: unknown, env: Env): unknown[][] => { const ps: unknown[][] = []; lhs(x, [], env, (p) => ps.push(p)); return ps; };
  const getAt = (x: unknown, p: unknown[]): unknown => p.reduce<unknown>((v, k) => (v === null ? null : index(v, k)), x);
  if (op === '|=') {
    return (x, env, emit) => {
      let r = x;
      const deletions: unknown[][] = [];
      for (const p of allPaths(x, env)) {
        tick();
        let found = false;
        let nv: unknown;
        const stop = {};
        try { rhs(getAt(r, p), env, (v) => { nv = v; found = true; throw stop; }); } catch (e) { if (e !== stop) throw e; }
        if (found) r = setPath(r, p, 0, nv); else deletions.push(p);
      }
      emit(deletions.length ? deletePaths(r, deletions) : r);
    };
  }
  const arith = op === '=' ? null : op === '//=' ? (a: unknown, b: unknown) => (truthy(a) ? a : b) : (BINARY[op.slice(0, -1)] ?? null);
  return (x, env, emit: Emit) => rhs(x, env, (v) => {
    let r = x;
    for (const p of allPaths(x, env)) r = setPath(r, p, 0, arith ? arith(getAt(r, p), v) : v);
    emit(r);
  });
}

/** Builtins defined on paths: `path(f)`, `paths`, `paths(f)`, `del(f)`, `map_values(f)`. */
export function compilePathBuiltin(n: Node & { t: 'call' }, compile: (n: Node) => Filter): Filter | null {
  const key = `${n.name}/${n.args.length}`;
  const arg = n.args[0];
  if (key === 'paths/0' || key === 'paths/1') {
    const rec = compilePath({ t: 'recurse' }, compile);
    const f = arg ? compile(arg) : null;
    return (x, env, emit) => rec(x, [], env, (p, v) => {
      if (!p.length) return;
      if (!f) emit(p);
      else f(v, env, (c) => { if (truthy(c)) emit(p); });
    });
  }
  if (!arg) return null;
  if (key === 'path/1') { const pf = compilePath(arg, compile); return (x, env, emit) => pf(x, [], env, (p) => emit(p)); }
  if (key === 'del/1') {
    const pf = compilePath(arg, compile);
    return (x, env, emit) => { const ps: unknown[][] = []; pf(x, [], env, (p) => ps.push(p)); emit(deletePaths(x, ps)); };
  }
  if (key === 'map_values/1') return compileAssign('|=', compilePath({ t: 'each', target: { t: 'identity' } }, compile), compile(arg));
  return null;
}
