import type { Node, Pattern } from './ast.js';
import { ExpressionError } from './expression-error.js';
import { KEYWORDS, lex, type Token } from './lexer.js';

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const ASSIGN = new Set(['=', '|=', '+=', '-=', '*=', '/=', '%=', '//=']);
const describeToken = (t: Token): string => (t.k === 'eof' ? 'end of expression' : t.v !== undefined ? `'${String(t.v)}'` : t.k === 'str' ? 'a string' : `'${t.k}'`);

/** Parses a jq expression (the supported subset) into a syntax tree. */
export function parse(src: string): Node {
  return new Parser(src, lex(src).tokens).parseAll();
}

class Parser {
  private p = 0;

  constructor(private readonly src: string, private readonly toks: Token[]) {}

  parseAll(): Node {
    const n = this.pipe();
    if (!this.at('eof')) {
      const t = this.peek();
      if (t.k === '?//') this.unsupported("the destructuring alternative '?//'", t);
      this.fail('an operator or end of expression');
    }
    return n;
  }

  private peek(o = 0): Token { return this.toks[Math.min(this.p + o, this.toks.length - 1)] as Token; }
  private at(k: string): boolean { return this.peek().k === k; }
  private next(): Token { return this.toks[Math.min(this.p++, this.toks.length - 1)] as Token; }
  private fail(expected: string, t = this.peek()): never {
    throw new ExpressionError(`syntax error: expected ${expected} but found ${describeToken(t)} at position ${t.pos}`, this.src, t.pos);
  }
  private unsupported(what: string, t = this.peek()): never {
    throw new ExpressionError(`${what} is not supported (at position ${t.pos})`, this.src, t.pos);
  }
  private expect(k: string, what = `'${k}'`): Token {
    if (!this.at(k)) this.fail(what);
    return this.next();
  }

  pipe(noComma = false): Node {
    if (this.at('def')) this.unsupported('def (function definitions)');
    if (this.at('label')) this.unsupported('label/break');
    const l = noComma ? this.altAs() : this.comma();
    if (this.at('|')) { this.next(); return { t: 'pipe', l, r: this.pipe(noComma) }; }
    return l;
  }
  private comma(): Node {
    let l = this.altAs();
    while (this.at(',')) { this.next(); l = { t: 'comma', l, r: this.altAs() }; }
    return l;
  }
  /** jq 1.8: `EXP as $x | BODY` binds the whole expression left of it (down to `,` or `|`). */
  private altAs(): Node {
    const source = this.alt();
    if (!this.at('as')) return source;
    this.next();
    const pattern = this.pattern();
    if (this.at('?//')) this.unsupported("the destructuring alternative '?//'");
    this.expect('|', "'|'");
    return { t: 'as', source, pattern, body: this.pipe() };
  }
  private alt(): Node {
    let l = this.or();
    if (ASSIGN.has(this.peek().k)) {
      const op = this.next().k;
      l = { t: 'assign', op, lhs: l, rhs: this.or() };
      if (ASSIGN.has(this.peek().k)) this.fail('an operator other than an assignment (assignments do not chain)');
    }
    if (this.at('//')) { this.next(); return { t: 'alt', l, r: this.alt() }; }
    return l;
  }
  private or(): Node {
    let l = this.and();
    while (this.at('or')) { this.next(); l = { t: 'or', l, r: this.and() }; }
    return l;
  }
  private and(): Node {
    let l = this.cmp();
    while (this.at('and')) { this.next(); l = { t: 'and', l, r: this.cmp() }; }
    return l;
  }
  private cmp(): Node {
    const l = this.add();
    const k = this.peek().k;
    if (!COMPARE.has(k)) return l;
    this.next();
    const r = this.add();
    if (COMPARE.has(this.peek().k)) this.fail('an operator other than a comparison (comparisons do not chain)');
    return { t: 'bin', op: k, l, r };
  }
  private add(): Node {
    let l = this.mul();
    while (this.at('+') || this.at('-')) { const op = this.next().k; l = { t: 'bin', op, l, r: this.mul() }; }
    return l;
  }
  private mul(): Node {
    let l = this.postfix();
    while (this.at('*') || this.at('/') || this.at('%')) { const op = this.next().k; l = { t: 'bin', op, l, r: this.postfix() }; }
    return l;
  }
  private postfix(): Node {
    const first = this.peek().k;
    let e = this.primary();
    // whether the last step was an index/iteration suffix (`?` then makes only that step optional)
    let suffix = first === 'field' || first === '.';
    for (;;) {
      const t = this.peek();
      if (t.k !== '?') suffix = t.k === 'field' || t.k === '[' || (t.k === '.' && (this.peek(1).k === 'str' || this.peek(1).k === '['));
      if (t.k === 'field') { this.next(); e = { t: 'index', target: e, key: { t: 'lit', v: t.v } }; continue; }
      if (t.k === '.' && this.peek(1).k === 'str') { this.next(); e = { t: 'index', target: e, key: this.string(this.next()) }; continue; }
      if (t.k === '.' && this.peek(1).k === '[') { this.next(); continue; }
      if (t.k === '[') { this.next(); e = this.bracket(e); continue; }
      if (t.k === '?') {
        // jq: `?` right after an index/iteration makes only that step optional, else the whole term
        this.next();
        if (suffix && (e.t === 'index' || e.t === 'each' || e.t === 'slice')) e = { ...e, opt: true };
        else e = { t: 'try', body: e };
        suffix = false;
        continue;
      }
      return e;
    }
  }
  private bracket(target: Node): Node {
    if (this.at(']')) { this.next(); return { t: 'each', target }; }
    if (this.at(':')) { this.next(); const to = this.pipe(); this.expect(']'); return { t: 'slice', target, to }; }
    const key = this.pipe();
    if (this.at(':')) {
      this.next();
      if (this.at(']')) { this.next(); return { t: 'slice', target, from: key }; }
      const to = this.pipe();
      this.expect(']');
      return { t: 'slice', target, from: key, to };
    }
    this.expect(']', "']' or ':'");
    return { t: 'index', target, key };
  }
  private string(t: Token, fmt?: string): Node {
    const parts = (t.parts ?? []).map((q) => (typeof q === 'string' ? q : new Parser(this.src, q.tokens).parseAll()));
    if (!fmt && parts.length === 1 && typeof parts[0] === 'string') return { t: 'lit', v: parts[0] };
    return { t: 'str', parts, fmt };
  }

  private primary(): Node {
    const t = this.next();
    switch (t.k) {
      case '.':
        if (this.at('str')) return { t: 'index', target: { t: 'identity' }, key: this.string(this.next()) };
        if (this.at('[')) { this.next(); return this.bracket({ t: 'identity' }); }
        return { t: 'identity' };
      case 'field': return { t: 'index', target: { t: 'identity' }, key: { t: 'lit', v: t.v } };
      case '..': return { t: 'recurse' };
      case '-': return { t: 'neg', e: this.postfix() };
      case 'num': return { t: 'lit', v: t.v };
      case 'str': return this.string(t);
      case 'fmt': return this.at('str') ? this.string(this.next(), String(t.v)) : { t: 'format', name: String(t.v) };
      case 'var':
        if (t.v === '__loc__' || t.v === 'ENV') this.unsupported(`$${String(t.v)}`, t);
        return { t: 'var', name: String(t.v) };
      case '(': { const e = this.pipe(); this.expect(')', "')'"); return e; }
      case '[': {
        if (this.at(']')) { this.next(); return { t: 'array' }; }
        const e = this.pipe();
        this.expect(']', "']'");
        return { t: 'array', e };
      }
      case '{': return this.object();
      case 'if': return this.ifRest();
      case 'try': {
        const body = this.postfix();
        if (!this.at('catch')) return { t: 'try', body };
        this.next();
        return { t: 'try', body, handler: this.postfix() };
      }
      case 'reduce': case 'foreach': return this.fold(t.k);
      case 'id': {
        if (t.v === 'true' || t.v === 'false' || t.v === 'null') return { t: 'lit', v: t.v === 'true' ? true : t.v === 'false' ? false : null };
        const args: Node[] = [];
        if (this.at('(')) {
          this.next();
          args.push(this.pipe());
          while (this.at(';')) { this.next(); args.push(this.pipe()); }
          this.expect(')', "';' or ')'");
        }
        return { t: 'call', name: String(t.v), args, pos: t.pos };
      }
      case 'def': case 'label': case 'import': case 'include': this.unsupported(t.k, t); break;
      default:
    }
    return this.fail('a term (., .name, literal, (...), [...], {...}, $var, function)', t);
  }

  private ifRest(): Node {
    const cond = this.pipe();
    this.expect('then', "'then'");
    const then = this.pipe();
    if (this.at('elif')) { this.next(); return { t: 'if', cond, then, else: this.ifRest() }; }
    let els: Node | undefined;
    if (this.at('else')) { this.next(); els = this.pipe(); }
    this.expect('end', "'elif', 'else' or 'end'");
    return { t: 'if', cond, then, else: els };
  }
  private fold(kind: string): Node {
    const source = this.postfix();
    this.expect('as', "'as'");
    const pattern = this.pattern();
    this.expect('(', "'('");
    const init = this.pipe();
    this.expect(';', "';'");
    const update = this.pipe();
    let extract: Node | undefined;
    if (kind === 'foreach' && this.at(';')) { this.next(); extract = this.pipe(); }
    this.expect(')', kind === 'foreach' ? "';' or ')'" : "')'");
    return kind === 'reduce' ? { t: 'reduce', source, pattern, init, update } : { t: 'foreach', source, pattern, init, update, extract };
  }
  private object(): Node {
    const entries: { key: Node; value: Node }[] = [];
    while (!this.at('}')) {
      const k = this.next();
      let key: Node;
      let value: Node | undefined;
      if (k.k === 'id' || KEYWORDS.has(k.k)) key = { t: 'lit', v: k.v ?? k.k };
      else if (k.k === 'str') key = this.string(k);
      else if (k.k === 'fmt' && this.at('str')) key = this.string(this.next(), String(k.v));
      else if (k.k === 'var') { key = { t: 'lit', v: k.v }; value = { t: 'var', name: String(k.v) }; }
      else if (k.k === 'num') key = { t: 'lit', v: k.v };
      else if (k.k === '(') { key = this.pipe(); this.expect(')', "')'"); }
      else this.fail('an object key (name, "string", $var or (expression))', k);
      if (this.at(':')) { this.next(); value = this.pipe(true); }
      else if (!value) value = { t: 'index', target: { t: 'identity' }, key };
      entries.push({ key, value });
      if (!this.at('}')) this.expect(',', "',' or '}'");
    }
    this.next();
    return { t: 'object', entries };
  }
  private pattern(): Pattern {
    const t = this.next();
    if (t.k === 'var') return { t: 'pvar', name: String(t.v) };
    if (t.k === '[') {
      const items: Pattern[] = [this.pattern()];
      while (this.at(',')) { this.next(); items.push(this.pattern()); }
      this.expect(']', "',' or ']'");
      return { t: 'parray', items };
    }
    if (t.k === '{') {
      const entries: { key: Node; bind?: string; value?: Pattern }[] = [];
      do {
        const k = this.next();
        let key: Node;
        let bind: string | undefined;
        if (k.k === 'var') { key = { t: 'lit', v: k.v }; bind = String(k.v); }
        else if (k.k === 'id' || KEYWORDS.has(k.k)) key = { t: 'lit', v: k.v ?? k.k };
        else if (k.k === 'str') key = this.string(k);
        else if (k.k === '(') { key = this.pipe(); this.expect(')', "')'"); }
        else this.fail('a pattern key ($name, name, "string" or (expression))', k);
        let value: Pattern | undefined;
        if (this.at(':')) { this.next(); value = this.pattern(); } else if (!bind) this.fail("':'");
        entries.push({ key, bind, value });
      } while (this.at(',') && this.next());
      this.expect('}', "',' or '}'");
      return { t: 'pobject', entries };
    }
    return this.fail('a pattern ($name, [...] or {...})', t);
  }
}
