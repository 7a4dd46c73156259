import { createHash } from 'node:crypto';
import { CorruptedDataError } from '@flunq/serializer';
import { InvalidArgumentError } from '../errors/store-errors.js';
import { assertValidId, assertValidSearchField, assertValidTenantId, type KeyBuilder } from '../keys/key-builder.js';
import type { IndexTerms, RangeSpec, SearchOptions, SearchPlan } from './content-index.js';

/** Default page size of {@link ContentIndex.search}. */
export const DEFAULT_SEARCH_PAGE_SIZE = 100;
/** Largest page of {@link ContentIndex.search}. */
export const MAX_SEARCH_PAGE_SIZE = 1000;
/** Longest `eq` term key (characters); the key holds its sha1, the per-execution record the term. */
export const MAX_TERM_KEY_LENGTH = 4096;
/** Longest `str` value (characters). */
export const MAX_STRING_TERM_LENGTH = 1024;
/** Most terms (eq + num + str + has, after removing duplicates) of one execution. */
export const MAX_TERMS_PER_EXECUTION = 10_000;
/** Most nodes of a search plan. */
export const MAX_PLAN_NODES = 256;
/** Deepest nesting of a search plan. */
export const MAX_PLAN_DEPTH = 32;

/** The canonical form of an execution's terms: what the per-execution record holds (sorted, without duplicates). */
export interface TermsRecord {
  readonly createdAtMs: number;
  readonly eq: readonly string[];
  readonly num: readonly (readonly [string, number])[];
  readonly str: readonly (readonly [string, string])[];
  readonly has: readonly string[];
}

const bad = (argument: string, reason: string): never => {
  throw new InvalidArgumentError(argument, reason);
};

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Validates the arguments of `replace`. @throws InvalidIdError (tenant, execution, field), InvalidArgumentError (the rest) */
export function checkTerms(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): TermsRecord {
  assertValidTenantId(tenantId);
  assertValidId(executionId);
  if (!Number.isSafeInteger(createdAtMs) || createdAtMs < 0) bad('createdAtMs', `must be a non-negative integer (ms since the epoch), got ${String(createdAtMs)}`);
  if (typeof terms !== 'object' || terms === null) return bad('terms', 'not an object');
  for (const part of ['eq', 'num', 'str', 'has'] as const) if (!Array.isArray(terms[part])) bad('terms', `${part} is not an array`);
  const eq = new Set<string>();
  for (const term of terms.eq) {
    if (typeof term !== 'string' || term.length === 0 || term.length > MAX_TERM_KEY_LENGTH) bad('terms', `an eq term must be a string of 1..${MAX_TERM_KEY_LENGTH} characters`);
    eq.add(term);
  }
  const num = new Map<string, [string, number]>();
  for (const term of terms.num) {
    if (typeof term !== 'object' || term === null) return bad('terms', 'a num term is not an object');
    assertValidSearchField(term.field);
    if (typeof term.value !== 'number' || !Number.isFinite(term.value)) bad('terms', `num value of ${term.field} must be a finite number, got ${String(term.value)}`);
    const value = term.value === 0 ? 0 : term.value; // -0 is 0
    num.set(JSON.stringify([term.field, value]), [term.field, value]);
  }
  const str = new Map<string, [string, string]>();
  for (const term of terms.str) {
    if (typeof term !== 'object' || term === null) return bad('terms', 'a str term is not an object');
    assertValidSearchField(term.field);
    if (typeof term.value !== 'string' || term.value.length > MAX_STRING_TERM_LENGTH) bad('terms', `str value of ${term.field} must be a string of at most ${MAX_STRING_TERM_LENGTH} characters`);
    if (term.value.includes('\0')) bad('terms', `str value of ${term.field} contains NUL`);
    str.set(JSON.stringify([term.field, term.value]), [term.field, term.value]);
  }
  const has = new Set<string>();
  for (const field of terms.has) {
    assertValidSearchField(field);
    has.add(field);
  }
  if (eq.size + num.size + str.size + has.size > MAX_TERMS_PER_EXECUTION) bad('terms', `more than ${MAX_TERMS_PER_EXECUTION} terms`);
  const pairs = <T extends string | number>(m: Map<string, [string, T]>): [string, T][] =>
    [...m.values()].sort(([fa, va], [fb, vb]) => byText(fa, fb) || (typeof va === 'number' ? va - (vb as number) : byText(va, vb as string)));
  return { createdAtMs, eq: [...eq].sort(byText), num: pairs(num), str: pairs(str), has: [...has].sort(byText) };
}

/** The stored record: JSON `[1, createdAtMs, eq terms, [[field, number]...], [[field, text]...], has fields]`. */
export function encodeTermsRecord(r: TermsRecord): string {
  return JSON.stringify([1, r.createdAtMs, r.eq, r.num, r.str, r.has]);
}

/** Reads a stored record back. @throws CorruptedDataError for anything else */
export function decodeTermsRecord(what: string, raw: string): TermsRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const corrupted = (): never => {
    throw new CorruptedDataError(`search terms ${what}`, 'unknown format');
  };
  if (!Array.isArray(value) || value[0] !== 1 || value.length !== 6) return corrupted();
  const [, createdAtMs, eq, num, str, has] = value as unknown[];
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const pairsOf = (v: unknown, kind: 'number' | 'string'): boolean =>
    Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === kind);
  if (typeof createdAtMs !== 'number' || !strings(eq) || !strings(has) || !pairsOf(num, 'number') || !pairsOf(str, 'string')) return corrupted();
  return { createdAtMs, eq, num: num as [string, number][], str: str as [string, string][], has };
}

/** sha1 (hex) of a term key's UTF-8 bytes: the last part of its `search:eq` key. */
export function termSha1(term: string): string {
  return createHash('sha1').update(term, 'utf8').digest('hex');
}

/** One member an execution adds to an index set. */
export interface IndexEntry {
  readonly key: string;
  readonly type: 'set' | 'zset';
  readonly member: string;
  readonly score: number;
}

/** `<executionId>\0<value>`: a member of a numeric ZSET (one per value, so several values of a field each count). */
export const numMember = (executionId: string, value: number): string => `${executionId}\0${String(value)}`;
/** `<value>\0<executionId>`: a member of a prefix ZSET (score 0, ordered by bytes). */
export const strMember = (executionId: string, value: string): string => `${value}\0${executionId}`;

/** Every member the record puts into the index sets (not the all-executions ZSET). */
export function indexEntries(keys: KeyBuilder, tenantId: string, executionId: string, r: TermsRecord): IndexEntry[] {
  return [
    ...r.eq.map((term): IndexEntry => ({ key: keys.searchEq(tenantId, termSha1(term)), type: 'set', member: executionId, score: 0 })),
    ...r.num.map(([field, value]): IndexEntry => ({ key: keys.searchNum(tenantId, field), type: 'zset', member: numMember(executionId, value), score: value })),
    ...r.str.map(([field, value]): IndexEntry => ({ key: keys.searchStr(tenantId, field), type: 'zset', member: strMember(executionId, value), score: 0 })),
    ...r.has.map((field): IndexEntry => ({ key: keys.searchHas(tenantId, field), type: 'set', member: executionId, score: 0 })),
  ];
}

/** The members to remove and to add to go from `before` to `after` (each a list of entries). */
export function diffEntries(before: readonly IndexEntry[], after: readonly IndexEntry[]): { removed: IndexEntry[]; added: IndexEntry[] } {
  const id = (e: IndexEntry): string => JSON.stringify([e.key, e.member, e.score]);
  const old = new Set(before.map(id));
  const next = new Set(after.map(id));
  return { removed: before.filter((e) => !next.has(id(e))), added: after.filter((e) => !old.has(id(e))) };
}

/** Approximate bytes of an execution's index: its record plus the members it adds (see {@link ContentIndex.indexBytes}). */
export function recordBytes(raw: string, entries: readonly IndexEntry[]): number {
  let bytes = Buffer.byteLength(raw, 'utf8');
  for (const e of entries) bytes += Buffer.byteLength(e.member, 'utf8') + (e.type === 'zset' ? 8 : 0);
  return bytes;
}

/** A position in the search order (createdAtMs desc, executionId desc). */
export interface SearchPosition {
  readonly createdAtMs: number;
  readonly executionId: string;
}

/** Encodes a position as an opaque cursor. */
export function encodeSearchCursor(p: SearchPosition): string {
  return Buffer.from(`s1:${p.createdAtMs}:${p.executionId}`, 'utf8').toString('base64url');
}

function decodeSearchCursor(cursor: unknown): SearchPosition {
  const invalid = (reason: string): never => bad('cursor', `not a cursor of ContentIndex.search: ${reason}`);
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 512) return invalid('empty, too long or not a string');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) return invalid('not base64url');
  const [, ms, executionId = ''] = /^s1:(\d{1,16}):(.+)$/s.exec(text) ?? [];
  const createdAtMs = Number(ms);
  if (ms === undefined || !Number.isSafeInteger(createdAtMs)) return invalid('malformed');
  try {
    assertValidId(executionId);
  } catch {
    return invalid('malformed execution id');
  }
  return { createdAtMs, executionId };
}

/** Validated search options. */
export interface CheckedSearchOptions {
  readonly createdFromMs: number | undefined;
  readonly createdToMs: number | undefined;
  readonly after: SearchPosition | undefined;
  readonly limit: number;
}

/** Validates the options of a search. @throws InvalidArgumentError */
export function checkSearchOptions(options: SearchOptions | undefined): CheckedSearchOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) return bad('options', 'not an object');
  const { createdFromMs, createdToMs, limit = DEFAULT_SEARCH_PAGE_SIZE } = options ?? {};
  for (const [name, value] of [['createdFromMs', createdFromMs], ['createdToMs', createdToMs]] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) bad(name, `must be an integer (ms since the epoch), got ${String(value)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_PAGE_SIZE) bad('limit', `must be an integer in 1..${MAX_SEARCH_PAGE_SIZE}, got ${String(limit)}`);
  const after = options?.cursor === undefined ? undefined : decodeSearchCursor(options.cursor);
  return { createdFromMs, createdToMs, after, limit };
}

const PLAN_KINDS = ['and', 'or', 'not', 'eq', 'range', 'prefix', 'has', 'all'] as const;
const RANGE_KEYS = new Set(['field', 'min', 'max', 'minExclusive', 'maxExclusive']);

/**
 * Validates a search plan (shape, sizes, field names, numbers) and returns it unchanged.
 * @throws InvalidArgumentError (`plan`), InvalidIdError for a field name
 */
export function checkPlan(plan: SearchPlan): SearchPlan {
  let nodes = 0;
  const walk = (node: unknown, depth: number): void => {
    const invalid = (reason: string): never => bad('plan', reason);
    if ((nodes += 1) > MAX_PLAN_NODES) invalid(`more than ${MAX_PLAN_NODES} nodes`);
    if (depth > MAX_PLAN_DEPTH) invalid(`nested deeper than ${MAX_PLAN_DEPTH}`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return invalid('a node is not an object');
    const keys = Object.keys(node);
    const kind = keys[0] as (typeof PLAN_KINDS)[number];
    if (keys.length !== 1 || !PLAN_KINDS.includes(kind)) return invalid(`a node must have exactly one of ${PLAN_KINDS.join(', ')}; got ${JSON.stringify(keys)}`);
    const value: unknown = (node as Record<string, unknown>)[kind];
    switch (kind) {
      case 'and':
      case 'or':
        if (!Array.isArray(value)) invalid(`${kind} must be an array`);
        for (const child of value as unknown[]) walk(child, depth + 1);
        return;
      case 'not':
        return walk(value, depth + 1);
      case 'eq':
        if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TERM_KEY_LENGTH) invalid(`eq must be a string of 1..${MAX_TERM_KEY_LENGTH} characters`);
        return;
      case 'has':
        return assertValidSearchField(value as string);
      case 'all':
        if (value !== true) invalid('all must be true');
        return;
      case 'prefix': {
        if (typeof value !== 'object' || value === null) return invalid('prefix must be an object');
        const p = value as Record<string, unknown>;
        if (Object.keys(p).some((k) => k !== 'field' && k !== 'value')) invalid('prefix has unknown keys');
        assertValidSearchField(p['field'] as string);
        if (typeof p['value'] !== 'string' || p['value'].length > MAX_STRING_TERM_LENGTH || p['value'].includes('\0')) {
          invalid(`prefix value must be a string of at most ${MAX_STRING_TERM_LENGTH} characters without NUL`);
        }
        return;
      }
      case 'range': {
        if (typeof value !== 'object' || value === null) return invalid('range must be an object');
        const r = value as Record<string, unknown>;
        if (Object.keys(r).some((k) => !RANGE_KEYS.has(k))) invalid('range has unknown keys');
        assertValidSearchField(r['field'] as string);
        for (const bound of ['min', 'max']) {
          const v = r[bound];
          if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) invalid(`range ${bound} must be a finite number, got ${String(v)}`);
        }
        for (const flag of ['minExclusive', 'maxExclusive']) if (r[flag] !== undefined && typeof r[flag] !== 'boolean') invalid(`range ${flag} must be a boolean`);
        return;
      }
    }
  };
  walk(plan, 1);
  return plan;
}

/** Whether `value` lies in the range (both adapters use this meaning). */
export function inRange(value: number, r: RangeSpec): boolean {
  if (r.min !== undefined && (r.minExclusive === true ? value <= r.min : value < r.min)) return false;
  if (r.max !== undefined && (r.maxExclusive === true ? value >= r.max : value > r.max)) return false;
  return true;
}

/** The ZRANGEBYSCORE bounds of a range: `-inf`, `+inf`, `5`, `(5`. */
export function scoreBounds(r: RangeSpec): [string, string] {
  const bound = (v: number | undefined, exclusive: boolean | undefined, open: string): string => (v === undefined ? open : `${exclusive === true ? '(' : ''}${String(v)}`);
  return [bound(r.min, r.minExclusive, '-inf'), bound(r.max, r.maxExclusive, '+inf')];
}

/** Search order: createdAtMs desc, then executionId desc by UTF-8 bytes. Negative when `a` comes first. */
export function compareSearchOrder(a: SearchPosition, b: SearchPosition): number {
  return a.createdAtMs !== b.createdAtMs ? b.createdAtMs - a.createdAtMs : Buffer.compare(Buffer.from(b.executionId, 'utf8'), Buffer.from(a.executionId, 'utf8'));
}
