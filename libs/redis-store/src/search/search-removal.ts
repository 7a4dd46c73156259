import type { KeyBuilder } from '../keys/key-builder.js';
import { numMember, segmentOf, strMember, type StoredRecord } from './search-layout.js';
import { termHash } from './search-terms.js';

/** One indexed execution to remove: its id, its record's key and its stored record as read. */
export interface IndexedDocument {
  readonly executionId: string;
  readonly key: string;
  readonly raw: string;
  readonly record: StoredRecord;
}

/**
 * Keys plus arguments one `remove-docs.lua` call may take at most: the client spreads them on
 * the stack (ioredis 5 overflows it at ~80,000 and then kills the process from its pipeline).
 */
export const MAX_REMOVAL_ARGUMENTS = 20_000;

/** One `remove-docs.lua` call: the documents it removes, its KEYS and its ARGV. */
export interface RemovalCall {
  readonly documents: readonly IndexedDocument[];
  readonly keys: string[];
  readonly args: string[];
}

// At most what a document adds to a call: its record, each text's member, route key and text, and a key per posting.
const worstCase = (r: StoredRecord): number => 4 + r.eq.length + r.num.length + r.has.length + 4 * r.str.length;

/**
 * The `remove-docs.lua` calls that remove `documents`: every member they put into their
 * segments' keys (see `indexEntries`), grouped by key (one variadic SREM/ZREM/HDEL per key;
 * document numbers and numeric members as one comma-joined argument), then the text routes
 * grouped by segment text ZSET. Documents go into a call while its worst case stays under
 * {@link MAX_REMOVAL_ARGUMENTS}, so each call is built once.
 */
export function removalCalls(keys: KeyBuilder, tenantId: string, documents: readonly IndexedDocument[], segmentSize: number): RemovalCall[] {
  const calls: RemovalCall[] = [];
  let chunk: IndexedDocument[] = [];
  let size = 0;
  for (const d of documents) {
    const cost = worstCase(d.record);
    if (chunk.length > 0 && size + cost > MAX_REMOVAL_ARGUMENTS) {
      calls.push(removalCall(keys, tenantId, chunk, segmentSize));
      chunk = [];
      size = 0;
    }
    chunk.push(d);
    size += cost;
  }
  if (chunk.length > 0) calls.push(removalCall(keys, tenantId, chunk, segmentSize));
  return calls;
}

function removalCall(keys: KeyBuilder, tenantId: string, documents: readonly IndexedDocument[], segmentSize: number): RemovalCall {
  const groups = new Map<string, { op: string; key: string; members: string[] }>();
  const group = (op: string, id: string, keyOf: () => string): string[] => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { op, key: keyOf(), members: [] }));
    return g.members;
  };
  // per segment text ZSET (segment, field): its texts
  const routes = new Map<string, { segment: number; fid: number; texts: Set<string> }>();
  for (const { record: r } of documents) {
    const segment = segmentOf(r.docId, segmentSize);
    const doc = String(r.docId);
    const postings = (kind: 'e' | 'h' | 'n' | 's', op: string, part: string | number): string[] => group(op, `${kind}${segment}:${part}`, () => keys.searchPostings(tenantId, kind, segment, String(part)));
    group('hdel,', `i${segment}`, () => keys.searchIds(tenantId, segment)).push(doc);
    for (const hash of r.eq) postings('e', 'srem,', hash).push(doc);
    for (const [fid, value] of r.num) postings('n', 'zrem,', fid).push(numMember(r.docId, value));
    for (const [fid, text] of r.str) {
      postings('s', 'zrem', fid).push(strMember(r.docId, text));
      const id = `${segment}:${fid}`;
      let route = routes.get(id);
      if (!route) routes.set(id, (route = { segment, fid, texts: new Set() }));
      route.texts.add(text);
    }
    for (const fid of r.has) postings('h', 'srem,', fid).push(doc);
  }
  const keyList = documents.map((d) => d.key);
  const position = new Map<string, string>();
  const index = (key: string): string => {
    let at = position.get(key);
    if (at === undefined) {
      keyList.push(key);
      position.set(key, (at = String(keyList.length)));
    }
    return at;
  };
  const args = [String(documents.length), ...documents.map((d) => d.raw)];
  for (const g of groups.values()) {
    if (g.op.endsWith(',')) args.push(g.op, index(g.key), g.members.join(','));
    else {
      args.push(g.op, index(g.key), String(g.members.length));
      for (const member of g.members) args.push(member);
    }
  }
  const hashes = new Map<string, string>();
  for (const { segment, fid, texts } of routes.values()) {
    args.push('routes', index(keys.searchPostings(tenantId, 's', segment, String(fid))), String(segment), String(texts.size));
    for (const text of texts) {
      let hash = hashes.get(text);
      if (hash === undefined) hashes.set(text, (hash = termHash(text)));
      args.push(index(keys.searchRoute(tenantId, fid, hash)), text);
    }
  }
  return { documents, keys: keyList, args };
}
