import { assertValidSearchField } from '../keys/key-builder.js';
import { compareTimePositions, decodeTimeCursor, encodeTimeCursor, type TimePosition } from '../records/time-position.js';
import type { RangeSpec, SearchOptions, SearchPlan } from './content-index.js';
import { invalidArgument as bad, MAX_STRING_TERM_LENGTH, MAX_TERM_KEY_LENGTH } from './search-terms.js';

/** Default page size of {@link ContentIndex.search}. */
export const DEFAULT_SEARCH_PAGE_SIZE = 100;
/** Largest page of {@link ContentIndex.search}. */
export const MAX_SEARCH_PAGE_SIZE = 1000;
/** Most nodes of a search plan. */
export const MAX_PLAN_NODES = 256;
/** Deepest nesting of a search plan. */
export const MAX_PLAN_DEPTH = 32;

/** A position in the search order (createdAtMs desc, executionId desc). */
export type SearchPosition = TimePosition;

/** Encodes a position as an opaque cursor of a search (tagged `s1:`, so a listing's cursor is refused). */
export const encodeSearchCursor = (p: SearchPosition): string => encodeTimeCursor(p, 's1:');

const decodeSearchCursor = (cursor: unknown): SearchPosition => decodeTimeCursor(cursor, 's1:', 'ContentIndex.search');

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

const PLAN_KINDS = ['and', 'or', 'not', 'eq', 'range', 'prefix', 'text', 'has', 'all'] as const;
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
      case 'prefix':
      case 'text': {
        if (typeof value !== 'object' || value === null) return invalid(`${kind} must be an object`);
        const p = value as Record<string, unknown>;
        if (Object.keys(p).some((k) => k !== 'field' && k !== 'value')) invalid(`${kind} has unknown keys`);
        assertValidSearchField(p['field'] as string);
        if (typeof p['value'] !== 'string' || p['value'].length > MAX_STRING_TERM_LENGTH || p['value'].includes('\0')) {
          invalid(`${kind} value must be a string of at most ${MAX_STRING_TERM_LENGTH} characters without NUL`);
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
export const compareSearchOrder = compareTimePositions;
