import type { Node, Pattern } from './ast.js';
import { compileBuiltin, UnsupportedError } from './builtins.js';
import { JqRuntimeError } from './expression-error.js';
import { FORMATS, formatValue, toText } from './formats.js';
import { checkArrayLength, checkString, tick } from './limits.js';
import { compileAssign, compilePath, compilePathBuiltin } from './paths.js';
import { BINARY, describe, index, slice, truthy, typeOf } from './values.js';

/** Variables in scope (prototype chain for nested bindings). */
export type Env = Record<string, unknown>;
/** Arguments of a builtin (only the first `arity` are set; typed as a tuple for destructuring). */
export type FilterArgs = [Filter, Filter, Filter];
/** Receives one output. */
export type Emit = (v: unknown) => void;
/** A compiled filter in callback style: calls `emit` once per output. */
export type Filter = (x: unknown, env: Env, emit: Emit) => void;

/** Thrown to stop a generator early (`first`, `limit`); never caught by `try`. */
export class StopSignal {
  constructor(readonly id: object) {}
}

const identity: Filter = (x, _env, emit) => emit(x);

/** Compiles a syntax tree to a closure. */
export function compile(n: Node): Filter {
  switch (n.t) {
    case 'identity': return identity;
    case 'lit': { const v = n.v; return (_x, _env, emit) => emit(v); }
    case 'var': {
      const name = n.name;
      return (_x, env, emit) => {
        const v = env[name];
        if (v === undefined) throw new JqRuntimeError(`$${name} is not defined`);
        emit(v);
      };
    }
    case 'index': return n.opt ? optional(compileIndex(n.target, n.key, true)) : compileIndex(n.target, n.key);
    case 'slice': {
      const t = compile(n.target);
      const f = n.from ? compile(n.from) : null;
      const to = n.to ? compile(n.to) : null;
      const sl = n.opt ? (v: unknown, a: unknown, b: unknown): unknown => attempt(() => slice(v, a, b)) : slice;
      return (x, env, emit) => {
        const put = (v: unknown): void => { if (v !== SKIP) emit(v); };
        const withTo = (a: unknown): void => {
          if (to) to(x, env, (b) => t(x, env, (v) => put(sl(v, a, b))));
          else t(x, env, (v) => put(sl(v, a, null)));
        };
        if (f) f(x, env, withTo); else withTo(null);
      };
    }
    case 'each': {
      const t = compile(n.target);
      const opt = n.opt === true;
      return (x, env, emit) => t(x, env, (v) => {
        if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) { tick(); emit(v[i]); } return; }
        if (typeOf(v) === 'object') { for (const k of Object.keys(v as object)) { tick(); emit((v as Env)[k]); } return; }
        if (!opt) throw new JqRuntimeError(`Cannot iterate over ${describe(v)}`);
      });
    }
    case 'pipe': {
      const l = compile(n.l);
      const r = compile(n.r);
      return (x, env, emit) => l(x, env, (v) => r(v, env, emit));
    }
    case 'comma': {
      const l = compile(n.l);
      const r = compile(n.r);
      return (x, env, emit) => { l(x, env, emit); r(x, env, emit); };
    }
    case 'neg': {
      const e = compile(n.e);
      return (x, env, emit) => e(x, env, (v) => {
        if (typeof v !== 'number') throw new JqRuntimeError(`${describe(v)} cannot be negated`);
        emit(-v);
      });
    }
    case 'bin': {
      const l = compile(n.l);
      const r = compile(n.r);
      const op = BINARY[n.op] as (a: unknown, b: unknown) => unknown;
      return (x, env, emit) => r(x, env, (b) => l(x, env, (a) => emit(op(a, b))));
    }
    case 'and': case 'or': {
      const l = compile(n.l);
      const r = compile(n.r);
      const isAnd = n.t === 'and';
      return (x, env, emit) => l(x, env, (a) => {
        if (truthy(a) !== isAnd) { emit(!isAnd); return; }
        r(x, env, (b) => emit(truthy(b)));
      });
    }
    case 'alt': {
      const l = compile(n.l);
      const r = compile(n.r);
      return (x, env, emit) => {
        let found = false;
        l(x, env, (v) => { if (truthy(v)) { found = true; emit(v); } });
        if (!found) r(x, env, emit);
      };
    }
    case 'array': {
      if (!n.e) return (_x, _env, emit) => emit([]);
      const e = compile(n.e);
      return (x, env, emit) => { const out: unknown[] = []; e(x, env, (v) => { if (out.push(v) > 1000) checkArrayLength(out.length); }); emit(out); };
    }
    case 'object': return compileObject(n.entries.map((en) => ({ key: compile(en.key), value: compile(en.value) })));
    case 'str': return compileString(n.parts.map((p) => (typeof p === 'string' ? p : compile(p))), n.fmt === undefined ? undefined : checkFormat(n.fmt));
    case 'format': { const name = checkFormat(n.name); return (x, _env, emit) => emit(checkString(formatValue(name, x))); }
    case 'if': {
      const c = compile(n.cond);
      const th = compile(n.then);
      const el = n.else ? compile(n.else) : identity;
      return (x, env, emit) => c(x, env, (v) => (truthy(v) ? th : el)(x, env, emit));
    }
    case 'try': return compileTry(compile(n.body), n.handler ? compile(n.handler) : null);
    case 'as': {
      const s = compile(n.source);
      const b = compile(n.body);
      const bind = compilePattern(n.pattern);
      return (x, env, emit) => s(x, env, (v) => b(x, bind(x, env, v), emit));
    }
    case 'reduce': {
      const s = compile(n.source);
      const init = compile(n.init);
      const upd = compile(n.update);
      const bind = compilePattern(n.pattern);
      return (x, env, emit) => init(x, env, (start) => {
        let acc: unknown = start;
        s(x, env, (v) => {
          tick();
          let last: unknown = null;
          upd(acc, bind(x, env, v), (o) => { last = o; });
          acc = last;
        });
        emit(acc);
      });
    }
    case 'foreach': {
      const s = compile(n.source);
      const init = compile(n.init);
      const upd = compile(n.update);
      const ext = n.extract ? compile(n.extract) : identity;
      const bind = compilePattern(n.pattern);
      return (x, env, emit) => init(x, env, (start) => {
        let acc: unknown = start;
        s(x, env, (v) => {
          tick();
          const e2 = bind(x, env, v);
          upd(acc, e2, (o) => { acc = o; ext(o, e2, emit); });
        });
      });
    }
    case 'recurse': return recurseAll;
    case 'assign': return compileAssign(n.op, compilePath(n.lhs, compile), compile(n.rhs));
    case 'call': return compilePathBuiltin(n, compile) ?? compileBuiltin(n.name, n.args.map(compile), n.pos);
  }
}

function checkFormat(name: string): string {
  if (!FORMATS.has(name)) throw new UnsupportedError(`@${name} is not supported`, 0);
  return name;
}

const recurseAll: Filter = (x, env, emit) => {
  tick();
  emit(x);
  if (Array.isArray(x)) for (const v of x) recurseAll(v, env, emit);
  else if (typeOf(x) === 'object') for (const k of Object.keys(x as object)) recurseAll((x as Env)[k], env, emit);
};

/** Marks "no output" for optional steps. */
const SKIP = Symbol('skip');

function attempt(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof JqRuntimeError) return SKIP;
    throw e;
  }
}

const optional = (f: Filter): Filter => (x, env, emit) => f(x, env, (v) => { if (v !== SKIP) emit(v); });

function compileIndex(target: Node, key: Node, opt = false): Filter {
  const t = compile(target);
  const ix = opt ? (v: unknown, k: unknown): unknown => attempt(() => index(v, k)) : index;
  if (key.t === 'lit') {
    const k = key.v;
    if (target.t === 'identity') return (x, _env, emit) => emit(ix(x, k));
    return (x, env, emit) => t(x, env, (v) => emit(ix(v, k)));
  }
  const kf = compile(key);
  return (x, env, emit) => kf(x, env, (k) => t(x, env, (v) => emit(ix(v, k))));
}

function compileObject(entries: { key: Filter; value: Filter }[]): Filter {
  const keyOf = (k: unknown): string => {
    if (typeof k !== 'string') throw new JqRuntimeError(`Cannot use ${describe(k)} as object key`);
    return k;
  };
  // jq varies the last key fastest: nested loops from the first entry
  const build = (x: unknown, env: Env, emit: Emit, i: number, acc: Env): void => {
    const en = entries[i];
    if (!en) { emit({ ...acc }); return; }
    en.key(x, env, (k) => {
      const key = keyOf(k);
      en.value(x, env, (v) => build(x, env, emit, i + 1, { ...acc, [key]: v }));
    });
  };
  return (x, env, emit) => {
    // fast path: every key and value has exactly one output
    const out: Env = {};
    let single = true;
    for (const en of entries) {
      let n = 0;
      let key: unknown;
      en.key(x, env, (k) => { key = k; n++; });
      if (n !== 1) { single = false; break; }
      let m = 0;
      let value: unknown;
      en.value(x, env, (v) => { value = v; m++; });
      if (m !== 1) { single = false; break; }
      const k = keyOf(key);
      if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      else out[k] = value;
    }
    if (single) emit(out);
    else build(x, env, emit, 0, {});
  };
}

function compileString(parts: (string | Filter)[], fmt?: string): Filter {
  // jq varies the first interpolation fastest: iterate from the last part outwards
  const conv = fmt ? (v: unknown): string => formatValue(fmt, v) : toText;
  return (x, env, emit) => {
    const go = (i: number, suffix: string): void => {
      if (i < 0) { emit(checkString(suffix)); return; }
      const p = parts[i] as string | Filter;
      if (typeof p === 'string') { go(i - 1, p + suffix); return; }
      p(x, env, (v) => go(i - 1, conv(v) + suffix));
    };
    go(parts.length - 1, '');
  };
}

function compileTry(body: Filter, handler: Filter | null): Filter {
  return (x, env, emit) => {
    let downstream = false;
    try {
      body(x, env, (v) => { downstream = true; emit(v); downstream = false; });
    } catch (e) {
      if (downstream || !(e instanceof JqRuntimeError)) throw e;
      if (handler) handler(e.value, env, emit);
    }
  };
}

function compilePattern(p: Pattern): (x: unknown, env: Env, v: unknown) => Env {
  if (p.t === 'pvar') {
    const name = p.name;
    return (_x, env, v) => { const e2 = Object.create(env) as Env; e2[name] = v; return e2; };
  }
  const single = (k: Node): Filter => {
    if (k.t !== 'lit') throw new JqRuntimeError('computed keys in destructuring patterns are not supported');
    return compile(k);
  };
  if (p.t === 'parray') {
    const items = p.items.map(compilePattern);
    return (x, env, v) => {
      if (v !== null && !Array.isArray(v)) throw new JqRuntimeError(`Cannot index ${typeOf(v)} with number (0)`);
      let e = env;
      items.forEach((b, i) => { e = b(x, e, index(v, i)); });
      return e;
    };
  }
  const entries = p.entries.map((en) => ({ key: single(en.key), bind: en.bind, value: en.value ? compilePattern(en.value) : null }));
  return (x, env, v) => {
    let e = env;
    for (const en of entries) {
      let k: unknown;
      en.key(x, env, (kk) => { k = kk; });
      const item = index(v, k);
      if (en.bind) { const e2 = Object.create(e) as Env; e2[en.bind] = item; e = e2; }
      if (en.value) e = en.value(x, e, item);
    }
    return e;
  };
}
