import { ExpressionError } from './expression-error.js';

/** A token; `pos` is the 0-based offset in the expression text. */
export interface Token {
  /** Kind: 'num', 'str', 'var', 'id', 'field', 'fmt', 'eof', a keyword or a punctuation. */
  k: string;
  v?: string | number;
  parts?: StrPart[];
  pos: number;
}

/** Literal text, or an interpolated sub-expression with its tokens. */
export type StrPart = string | { tokens: Token[]; pos: number };

/** Keywords (never plain identifiers). */
export const KEYWORDS = new Set([
  'and', 'or', 'if', 'then', 'elif', 'else', 'end', 'as', 'reduce', 'foreach', 'try', 'catch',
  'def', 'label', 'import', 'include', '__loc__',
]);

const PUNCT = ['?//=', '?//', '//=', '|=', '+=', '-=', '*=', '/=', '%=', '==', '!=', '<=', '>=', '//', '..',
  '.', '|', ',', '(', ')', '[', ']', '{', '}', ':', ';', '?', '+', '-', '*', '/', '%', '<', '>', '='];
const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

/** Splits an expression into tokens; interpolations are lexed recursively. */
export function lex(src: string, start = 0, nested = false): { tokens: Token[]; end: number } {
  const toks: Token[] = [];
  let i = start;
  let depth = 0;
  const err = (m: string, at = i): never => {
    throw new ExpressionError(`syntax error: ${m} at position ${at}`, src, at);
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (nested) {
      if (c === '(') depth++;
      if (c === ')') {
        if (depth === 0) { toks.push({ k: 'eof', pos: i }); return { tokens: toks, end: i + 1 }; }
        depth--;
      }
    }
    if (c === '"') { const t = lexString(src, i, err); toks.push(t); i = t.end; continue; }
    NUMBER.lastIndex = i;
    let m = NUMBER.exec(src);
    if (m && (c !== '.' || /\d/.test(src[i + 1] ?? ''))) {
      toks.push({ k: 'num', v: Number(m[0]), pos: i }); i += m[0].length; continue;
    }
    if (c === '$' || c === '@' || c === '.') {
      IDENT.lastIndex = i + 1;
      m = IDENT.exec(src);
      if (m) {
        const name = m[0];
        // `.foo` is one token, but `. as`, `. and` ... only when followed by a keyword? jq lexes
        // `.as` as a field only when directly attached; keep jq's rule: FIELD = '.' IDENT.
        const k = c === '$' ? 'var' : c === '@' ? 'fmt' : 'field';
        toks.push({ k, v: name, pos: i }); i += 1 + name.length; continue;
      }
      if (c === '$') err("expected a variable name after '$'");
      if (c === '@') err("expected a format name after '@'");
    }
    IDENT.lastIndex = i;
    m = IDENT.exec(src);
    if (m) { toks.push(KEYWORDS.has(m[0]) ? { k: m[0], pos: i } : { k: 'id', v: m[0], pos: i }); i += m[0].length; continue; }
    const p = PUNCT.find((q) => src.startsWith(q, i));
    if (p) { toks.push({ k: p, pos: i }); i += p.length; continue; }
    err(`unexpected character '${c}'`);
  }
  if (nested) err('unterminated string interpolation, expected )');
  toks.push({ k: 'eof', pos: i });
  return { tokens: toks, end: i };
}

function lexString(src: string, start: number, err: (m: string, at?: number) => never): Token & { end: number } {
  let i = start + 1;
  const parts: StrPart[] = [];
  let s = '';
  for (;;) {
    if (i >= src.length) err('unterminated string, expected "', start);
    const d = src[i];
    if (d === '"') { i++; break; }
    if (d !== '\\') { s += d; i++; continue; }
    const e = src[i + 1];
    if (e === '(') {
      if (s) parts.push(s);
      s = '';
      const inner = lex(src, i + 2, true);
      parts.push({ tokens: inner.tokens, pos: i + 2 });
      i = inner.end;
      continue;
    }
    if (e === 'u') {
      const hex = src.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) err('invalid \\u escape', i);
      s += String.fromCharCode(parseInt(hex, 16));
      i += 6;
      continue;
    }
    const r = e === undefined ? undefined : ESCAPES[e];
    if (r === undefined) err(`invalid escape \\${e ?? ''}`, i);
    s += r;
    i += 2;
  }
  if (s || !parts.length) parts.push(s);
  return { k: 'str', parts, pos: start, end: i };
}
