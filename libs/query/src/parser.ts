import { type CmpOp, PATH_ROOTS, type QueryNode, type QueryValue, QUERY_LIMITS, rootLength } from './ast.js';
import { QueryLimitError, QuerySyntaxError } from './errors.js';
import { NUMBER_TEXT, printPath } from './printer.js';

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;
const BARE_CHAR = /[A-Za-z0-9_.:-]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
const WHITESPACE = /[ \t\r\n]/;
const KEYWORDS = ['AND', 'OR', 'NOT'] as const;
type Keyword = (typeof KEYWORDS)[number];
const OPS: readonly CmpOp[] = ['!=', '<=', '>=', '^=', '=', '<', '>'];
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a query (see docs/query-language.md). Throws `QuerySyntaxError` (code `QUERY_SYNTAX`)
 * or `QueryLimitError` (code `QUERY_LIMIT`), both with a 0-based `position`.
 */
export function parseQuery(text: string): QueryNode {
  return new Parser(text).parse();
}

/** UTF-8 length of a string, without TextEncoder or Buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Milliseconds since the epoch of an ISO 8601 date (`2024-05-01`, UTC) or date-time with `Z` or an offset; `undefined` if not one. */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return undefined; // e.g. 2023-02-30
  date.setUTCHours(hour, minute, second, millis);
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const offHours = Number(zone.slice(1, 3));
    const offMinutes = Number(zone.slice(4, 6));
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  return date.getTime() - offsetMinutes * 60_000;
}

interface RawValue {
  text: string;
  quoted: boolean;
  start: number;
}

class Parser {
  private pos = 0;
  private terms = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): QueryNode {
    const bytes = utf8Length(this.text);
    if (bytes > QUERY_LIMITS.maxTextBytes) {
      throw new QueryLimitError('textBytes', QUERY_LIMITS.maxTextBytes, `query is ${bytes} bytes long, more than ${QUERY_LIMITS.maxTextBytes}`, 0);
    }
    this.skipWs();
    if (this.eof()) throw this.syntax('empty query: expected a comparison, exists(...), NOT or "("');
    const node = this.parseOr('the start');
    this.skipWs();
    if (!this.eof()) this.failAfterTerm(false);
    return node;
  }

  // ---- expressions

  private parseOr(after: string): QueryNode {
    const children = [this.parseAnd(after)];
    for (;;) {
      this.skipWs();
      if (!this.keywordAt('OR')) break;
      this.pos += 2;
      children.push(this.parseAnd('OR'));
    }
    return children.length === 1 ? children[0]! : { type: 'or', children };
  }

  private parseAnd(after: string): QueryNode {
    const children = [this.parseUnary(after)];
    for (;;) {
      this.skipWs();
      if (!this.keywordAt('AND')) break;
      this.pos += 3;
      children.push(this.parseUnary('AND'));
    }
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  private parseUnary(after: string): QueryNode {
    this.skipWs();
    const what = after === 'the start' ? '' : ` after ${after}`;
    if (this.eof()) throw this.syntax(`expected a comparison, exists(...), NOT or "("${what}`);
    const keyword = this.keywordHere();
    if (keyword === 'NOT') {
      this.enter();
      this.pos += 3;
      const child = this.parseUnary('NOT');
      this.depth--;
      return { type: 'not', child };
    }
    if (keyword !== undefined) throw this.syntax(`expected a comparison, exists(...), NOT or "("${what}, found ${keyword}`);
    const char = this.text[this.pos]!;
    if (char === '(') {
      this.enter();
      this.pos++;
      const node = this.parseOr('"("');
      this.skipWs();
      if (this.text[this.pos] !== ')') this.failAfterTerm(true);
      this.pos++;
      this.depth--;
      return node;
    }
    if (char === ')') throw this.syntax(`expected a comparison, exists(...), NOT or "("${what}, found ")"`);
    if (this.existsCallHere()) return this.parseExists();
    return this.parseComparison();
  }

  /** After a complete term, where neither AND/OR nor the expected end follows. */
  private failAfterTerm(inParens: boolean): never {
    const end = inParens ? '")"' : 'the end of the query';
    if (this.eof()) throw this.syntax(`expected AND, OR or ${end}`);
    const char = this.text[this.pos]!;
    if (char === ')') throw this.syntax('unexpected ")": no "(" to close');
    if (char === '(' || char === '"' || BARE_CHAR.test(char)) {
      let stop = this.pos;
      if (char === '(' || char === '"') stop++;
      else while (stop < this.text.length && BARE_CHAR.test(this.text[stop]!)) stop++;
      throw this.syntax(
        `expected AND, OR or ${end} before ${JSON.stringify(this.text.slice(this.pos, stop))} (terms are not joined implicitly: write AND or OR; quote text with spaces)`,
      );
    }
    throw this.syntax(`unexpected character ${JSON.stringify(char)}`);
  }

  private enter(): void {
    this.depth++;
    if (this.depth > QUERY_LIMITS.maxDepth) {
      throw new QueryLimitError('depth', QUERY_LIMITS.maxDepth, `nesting deeper than ${QUERY_LIMITS.maxDepth} levels of "(" and NOT`, this.pos);
    }
  }

  private countTerm(): void {
    this.terms++;
    if (this.terms > QUERY_LIMITS.maxTerms) {
      throw new QueryLimitError('terms', QUERY_LIMITS.maxTerms, `more than ${QUERY_LIMITS.maxTerms} terms`, this.pos);
    }
  }

  // ---- terms

  private existsCallHere(): boolean {
    const word = this.wordAt(this.pos);
    if (word.toLowerCase() !== 'exists') return false;
    let at = this.pos + word.length;
    while (at < this.text.length && WHITESPACE.test(this.text[at]!)) at++;
    return this.text[at] === '(';
  }

  private parseExists(): QueryNode {
    this.countTerm();
    this.pos += 'exists'.length;
    this.skipWs();
    this.pos++; // "("
    this.skipWs();
    const path = this.parsePath();
    this.skipWs();
    if (this.text[this.pos] !== ')') throw this.syntax(`expected ")" after the path of exists(${printPath(path)}`);
    this.pos++;
    return { type: 'exists', path };
  }

  private parseComparison(): QueryNode {
    this.countTerm();
    const path = this.parsePath();
    this.skipWs();
    const opStart = this.pos;
    const op = OPS.find((candidate) => this.text.startsWith(candidate, this.pos));
    if (op === undefined) throw this.syntax(`expected an operator (=, !=, <, <=, >, >=, ^=) after ${printPath(path)}`);
    this.pos += op.length;
    this.skipWs();
    const raw = this.parseRawValue(op);
    return { type: 'cmp', path, op, value: this.interpret(path, op, opStart, raw) };
  }

  private parsePath(): string[] {
    const segments: string[] = [];
    const starts: number[] = [];
    const segment = (after: string): void => {
      starts.push(this.pos);
      const char = this.text[this.pos];
      if (char === '"') {
        segments.push(this.parseQuoted());
      } else if (char !== undefined && IDENT_START.test(char)) {
        const start = this.pos;
        while (this.pos < this.text.length && IDENT_CHAR.test(this.text[this.pos]!)) this.pos++;
        segments.push(this.text.slice(start, this.pos));
      } else {
        throw this.syntax(`expected a path${after}`);
      }
    };
    segment('');
    while (this.text[this.pos] === '.') {
      this.pos++;
      segment(` segment after "."`);
    }
    this.checkPath(segments, starts);
    return segments;
  }

  private checkPath(path: string[], starts: number[]): void {
    const root = path[0]!;
    const at = (i: number): number => starts[i] ?? this.pos;
    if (!(PATH_ROOTS as readonly string[]).includes(root)) {
      if (root.toLowerCase() === 'exists') throw new QuerySyntaxError('expected "(" after exists', at(0) + root.length);
      throw new QuerySyntaxError(`unknown field ${JSON.stringify(root)}: a path starts with ${PATH_ROOTS.join(', ')}`, at(0));
    }
    if (root === 'status' || root === 'workflow' || root === 'created') {
      if (path.length > 1) throw new QuerySyntaxError(`${root} has no fields`, at(1) - 1);
      return;
    }
    if (root === 'task') {
      if (path.length < 2) throw new QuerySyntaxError('expected a task name after "task."', this.pos);
      if (path.length < 3) throw new QuerySyntaxError('expected "input" or "output" after the task name', this.pos);
      if (path[2] !== 'input' && path[2] !== 'output') {
        throw new QuerySyntaxError(`expected "input" or "output" after the task name, found ${JSON.stringify(path[2])}`, at(2));
      }
    }
    const limit = rootLength(path) + QUERY_LIMITS.maxPathDepth;
    if (path.length > limit) {
      throw new QueryLimitError(
        'pathDepth',
        QUERY_LIMITS.maxPathDepth,
        `path deeper than ${QUERY_LIMITS.maxPathDepth} segments below ${printPath(path.slice(0, rootLength(path)))}`,
        at(limit),
      );
    }
  }

  // ---- values

  private parseRawValue(op: CmpOp): RawValue {
    const start = this.pos;
    const char = this.text[this.pos];
    if (char === '"') return { text: this.parseQuoted(), quoted: true, start };
    if (char === undefined || !BARE_CHAR.test(char)) throw this.syntax(`expected a value after "${op}"`);
    while (this.pos < this.text.length) {
      const next = this.text[this.pos]!;
      if (BARE_CHAR.test(next)) this.pos++;
      // `1e+5`: the exponent sign of a number is part of the word.
      else if (next === '+' && /^-?\d+(\.\d+)?[eE]$/.test(this.text.slice(start, this.pos)) && /\d/.test(this.text[this.pos + 1] ?? '')) this.pos++;
      else break;
    }
    const text = this.text.slice(start, this.pos);
    const keyword = KEYWORDS.find((k) => k === text.toUpperCase());
    if (keyword !== undefined) throw new QuerySyntaxError(`expected a value after "${op}", found ${keyword} (quote it to use it as text)`, start);
    return { text: text.replace(/([eE])\+/, '$1'), quoted: false, start };
  }

  private interpret(path: string[], op: CmpOp, opStart: number, raw: RawValue): QueryValue {
    const root = path[0];
    const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
    if (root === 'created') {
      if (op === '^=') throw new QuerySyntaxError('"^=" does not apply to created (a time)', opStart);
      const value = raw.quoted ? undefined : this.number(raw);
      const time = value ?? parseIsoTimestamp(raw.text);
      if (time === undefined) {
        throw new QuerySyntaxError(`expected a time (ms since the epoch, or ISO like 2024-05-01T12:00:00Z) after "${op}" for created`, raw.start);
      }
      return time;
    }
    if (root === 'status' || root === 'workflow') {
      if (ordering) throw new QuerySyntaxError(`"${op}" does not apply to ${root} (text)`, opStart);
      return this.text_(raw);
    }
    if (op === '^=') return this.text_(raw);
    if (ordering) {
      const value = raw.quoted ? undefined : this.number(raw);
      if (value === undefined) throw new QuerySyntaxError(`expected a number after "${op}"`, raw.start);
      return value;
    }
    if (raw.quoted) return this.text_(raw);
    if (raw.text === 'true') return true;
    if (raw.text === 'false') return false;
    if (raw.text === 'null') return null;
    return this.number(raw) ?? this.text_(raw);
  }

  /** The number a bare word spells (JSON number syntax), `undefined` if it is not one. */
  private number(raw: RawValue): number | undefined {
    if (!NUMBER_TEXT.test(raw.text)) return undefined;
    const value = Number(raw.text);
    if (!Number.isFinite(value)) throw new QuerySyntaxError(`number ${raw.text} is out of range`, raw.start);
    return value === 0 ? 0 : value; // no -0
  }

  private text_(raw: RawValue): string {
    if (raw.text.length > QUERY_LIMITS.maxValueLength) {
      throw new QueryLimitError(
        'valueLength',
        QUERY_LIMITS.maxValueLength,
        `value longer than ${QUERY_LIMITS.maxValueLength} characters (longer values are not searchable)`,
        raw.start,
      );
    }
    return raw.text;
  }

  private parseQuoted(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.eof()) throw new QuerySyntaxError('unterminated quoted text (no closing ")', start);
      const char = this.text[this.pos]!;
      if (char === '"') {
        this.pos++;
        return out;
      }
      if (char === '\\') {
        const next = this.text[this.pos + 1];
        if (next !== '"' && next !== '\\') {
          throw new QuerySyntaxError(`invalid escape ${next === undefined ? '"\\"' : JSON.stringify('\\' + next)} in quoted text (only \\" and \\\\)`, this.pos);
        }
        out += next;
        this.pos += 2;
      } else {
        out += char;
        this.pos++;
      }
    }
  }

  // ---- characters

  private eof(): boolean {
    return this.pos >= this.text.length;
  }

  private skipWs(): void {
    while (this.pos < this.text.length && WHITESPACE.test(this.text[this.pos]!)) this.pos++;
  }

  private wordAt(at: number): string {
    let end = at;
    while (end < this.text.length && WORD_CHAR.test(this.text[end]!)) end++;
    return this.text.slice(at, end);
  }

  /** The keyword at the position (case-insensitive, a whole word), if any. */
  private keywordHere(): Keyword | undefined {
    const word = this.wordAt(this.pos);
    const keyword = KEYWORDS.find((k) => k === word.toUpperCase());
    if (keyword === undefined) return undefined;
    const next = this.text[this.pos + word.length];
    return next !== undefined && BARE_CHAR.test(next) ? undefined : keyword;
  }

  private keywordAt(keyword: Keyword): boolean {
    return this.keywordHere() === keyword;
  }

  private syntax(reason: string): QuerySyntaxError {
    return new QuerySyntaxError(reason, this.pos);
  }
}
