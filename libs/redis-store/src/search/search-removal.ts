import type { KeyBuilder } from '../keys/key-builder.js';
import { numMember, segmentOf, strMember, type StoredRecord } from './search-layout.js';
import { termHash } from './search-terms.js';

/** One indexed execution to remove: its id and its stored record. */
export interface IndexedDocument {
  readonly executionId: string;
  readonly record: StoredRecord;
}

/** Arguments one `remove-docs.lua` call may take at most (a call's arguments are spread on the stack). */
export const MAX_REMOVAL_ARGUMENTS = 8000;

/**
 * The documents in groups whose `remove-docs.lua` call stays under {@link MAX_REMOVAL_ARGUMENTS}
 * (counted generously: each member, plus six arguments per text route, plus the record).
 */
export function removalChunks<T extends IndexedDocument>(documents: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let size = 0;
  for (const d of documents) {
    const r = d.record;
    const cost = 4 + r.eq.length + r.num.length + r.has.length + 7 * r.str.length;
    if (chunk.length > 0 && size + cost > MAX_REMOVAL_ARGUMENTS) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(d);
    size += cost;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * The keys and arguments of `remove-docs.lua` after its records: every member the documents put
 * into their segments' keys (see `indexEntries`), grouped by key (one variadic SREM/ZREM/HDEL per
 * key for the whole batch), then each text route once. `firstKeyIndex` is the Lua index of the
 * first key returned. Keys and text hashes are built once per batch, not once per member.
 */
export function removalOperations(keys: KeyBuilder, tenantId: string, documents: readonly IndexedDocument[], segmentSize: number, firstKeyIndex: number): { keys: string[]; args: string[] } {
  const groups = new Map<string, { op: string; key: string; members: string[] }>();
  const group = (op: string, id: string, keyOf: () => string): string[] => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { op, key: keyOf(), members: [] }));
    return g.members;
  };
  const routes = new Map<string, { fid: number; text: string; segment: number }>();
  for (const { record: r } of documents) {
    const segment = segmentOf(r.docId, segmentSize);
    const doc = String(r.docId);
    const postings = (kind: 'e' | 'h' | 'n' | 's', part: string | number): string[] => group(kind === 'n' || kind === 's' ? 'zrem' : 'srem', `${kind}${segment}:${part}`, () => keys.searchPostings(tenantId, kind, segment, String(part)));
    group('hdel', `i${segment}`, () => keys.searchIds(tenantId, segment)).push(doc);
    for (const hash of r.eq) postings('e', hash).push(doc);
    for (const [fid, value] of r.num) postings('n', fid).push(numMember(r.docId, value));
    for (const [fid, text] of r.str) {
      postings('s', fid).push(strMember(r.docId, text));
      routes.set(`${fid}:${segment}:${text}`, { fid, text, segment });
    }
    for (const fid of r.has) postings('h', fid).push(doc);
  }
  const keyList: string[] = [];
  const position = new Map<string, string>();
  const index = (key: string): string => {
    let at = position.get(key);
    if (at === undefined) {
      keyList.push(key);
      position.set(key, (at = String(firstKeyIndex + keyList.length - 1)));
    }
    return at;
  };
  const args: string[] = [];
  for (const g of groups.values()) {
    args.push(g.op, index(g.key), String(g.members.length));
    for (const member of g.members) args.push(member);
  }
  const hashes = new Map<string, string>();
  for (const { fid, text, segment } of routes.values()) {
    let hash = hashes.get(text);
    if (hash === undefined) hashes.set(text, (hash = termHash(text)));
    args.push('rrem', index(keys.searchRoute(tenantId, fid, hash)), '3', String(segment), index(keys.searchPostings(tenantId, 's', segment, String(fid))), text);
  }
  return { keys: keyList, args };
}
