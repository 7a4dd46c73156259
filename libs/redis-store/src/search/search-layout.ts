import { CorruptedDataError } from '@flunq/serializer';
import type { KeyBuilder } from '../keys/key-builder.js';
import { termHash, type TermsRecord } from './search-terms.js';

/**
 * Documents per segment. Each execution gets a per-tenant document number; its postings live in
 * the keys of its segment (`docId / SEGMENT_SIZE`). 128 keeps a segment's SETs intsets and its
 * ZSETs and HASH listpacks under Redis' default encoding thresholds: a few bytes per posting.
 */
export const SEGMENT_SIZE = 128;

/** The segment of a document number. */
export const segmentOf = (docId: number, segmentSize = SEGMENT_SIZE): number => Math.floor(docId / segmentSize);

/** What the per-execution record holds: the document number, creation time and the terms, fields by number. */
export interface StoredRecord {
  readonly docId: number;
  readonly createdAtMs: number;
  /** Term hashes ({@link termHash}), sorted. */
  readonly eq: readonly string[];
  /** `[field number, value]`, sorted. */
  readonly num: readonly (readonly [number, number])[];
  /** `[field number, text]`, sorted. */
  readonly str: readonly (readonly [number, string])[];
  /** Field numbers, sorted. */
  readonly has: readonly number[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every field name the terms use (what needs a field number). */
export function fieldsOf(terms: TermsRecord): string[] {
  return [...new Set([...terms.num.map(([f]) => f), ...terms.str.map(([f]) => f), ...terms.has])];
}

/** The record of `terms` for document `docId`, with the field numbers of `fids` (which must hold every field). */
export function storedRecordOf(terms: TermsRecord, docId: number, fids: ReadonlyMap<string, number>): StoredRecord {
  const fid = (field: string): number => {
    const id = fids.get(field);
    if (id === undefined) throw new Error(`no field number for ${field}`);
    return id;
  };
  const pairs = <T extends string | number>(list: readonly (readonly [string, T])[]): [number, T][] =>
    list
      .map(([f, v]): [number, T] => [fid(f), v])
      .sort(([fa, va], [fb, vb]) => fa - fb || (typeof va === 'number' ? va - (vb as number) : byText(va, vb as string)));
  return {
    docId,
    createdAtMs: terms.createdAtMs,
    eq: [...new Set(terms.eq.map(termHash))].sort(byText),
    num: pairs(terms.num),
    str: pairs(terms.str),
    has: terms.has.map(fid).sort((a, b) => a - b),
  };
}

/** The stored record: JSON `[2, docId, createdAtMs, eqHashes, [[fid, number]...], [[fid, text]...], hasFids]`. */
export function encodeStoredRecord(r: StoredRecord): string {
  return JSON.stringify([2, r.docId, r.createdAtMs, r.eq, r.num, r.str, r.has]);
}

/** Reads a stored record back. @throws CorruptedDataError for anything else */
export function decodeStoredRecord(what: string, raw: string): StoredRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const corrupted = (): never => {
    throw new CorruptedDataError(`search record ${what}`, 'unknown format');
  };
  if (!Array.isArray(value) || value[0] !== 2 || value.length !== 7) return corrupted();
  const [, docId, createdAtMs, eq, num, str, has] = value as unknown[];
  const id = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const pairsOf = (v: unknown, kind: 'number' | 'string'): boolean => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && id(p[0]) && typeof p[1] === kind);
  const ok = id(docId) && id(createdAtMs) && Array.isArray(eq) && eq.every((h) => typeof h === 'string') && Array.isArray(has) && has.every(id);
  if (!ok || !pairsOf(num, 'number') || !pairsOf(str, 'string')) return corrupted();
  return { docId, createdAtMs, eq: eq as string[], num: num as [number, number][], str: str as [number, string][], has: has as number[] };
}

/** One member an execution adds to a key of its segment. */
export interface IndexEntry {
  readonly key: string;
  /** `route`: a SET member (the segment) shared by every document of the segment with the text; removed only when none is left. */
  readonly type: 'set' | 'zset' | 'hash' | 'route';
  readonly member: string;
  /** ZSET: the score; HASH: the value; route: the text; SET: ''. */
  readonly score: string;
  /** route: the segment's text ZSET, where the text's last holder is looked for before removing the route. */
  readonly texts?: string;
}

/** `<docId>:<value>`: a member of a numeric ZSET (one per value, so several values of a field each count). */
export const numMember = (docId: number, value: number): string => `${docId}:${String(value)}`;
/** `<text>\0<docId>`: a member of a text ZSET (score 0, ordered by bytes). */
export const strMember = (docId: number, text: string): string => `${text}\0${docId}`;

/** Every member the record puts into its segment's keys, the document's entry in `search:ids` first. */
export function indexEntries(keys: KeyBuilder, tenantId: string, executionId: string, r: StoredRecord, segmentSize = SEGMENT_SIZE): IndexEntry[] {
  const segment = segmentOf(r.docId, segmentSize);
  const doc = String(r.docId);
  const postings = (kind: 'e' | 'h' | 'n' | 's', part: string | number): string => keys.searchPostings(tenantId, kind, segment, String(part));
  return [
    { key: keys.searchIds(tenantId, segment), type: 'hash', member: doc, score: `${r.createdAtMs}:${executionId}` },
    ...r.eq.map((hash): IndexEntry => ({ key: postings('e', hash), type: 'set', member: doc, score: '' })),
    ...r.num.map(([fid, value]): IndexEntry => ({ key: postings('n', fid), type: 'zset', member: numMember(r.docId, value), score: String(value) })),
    ...r.str.map(([fid, text]): IndexEntry => ({ key: postings('s', fid), type: 'zset', member: strMember(r.docId, text), score: '0' })),
    ...r.str.map(([fid, text]): IndexEntry => ({ key: keys.searchRoute(tenantId, fid, termHash(text)), type: 'route', member: String(segment), score: text, texts: postings('s', fid) })),
    ...r.has.map((fid): IndexEntry => ({ key: postings('h', fid), type: 'set', member: doc, score: '' })),
  ];
}

/** The members to remove and to add to go from `before` to `after` (each a list of entries). */
export function diffEntries(before: readonly IndexEntry[], after: readonly IndexEntry[]): { removed: IndexEntry[]; added: IndexEntry[] } {
  const id = (e: IndexEntry): string => `${e.key}\0${e.member}\0${e.score}`;
  const old = new Set(before.map(id));
  const next = new Set(after.map(id));
  return { removed: before.filter((e) => !next.has(id(e))), added: after.filter((e) => !old.has(id(e))) };
}

/** Approximate bytes of an execution's index: its record plus the members it adds (see {@link ContentIndex.indexBytes}). */
export function recordBytes(raw: string, entries: readonly IndexEntry[]): number {
  let bytes = Buffer.byteLength(raw, 'utf8');
  for (const e of entries) bytes += Buffer.byteLength(e.member, 'utf8') + (e.type === 'zset' ? 8 : e.type === 'route' ? 0 : Buffer.byteLength(e.score, 'utf8'));
  return bytes;
}
