import { assertValidId, assertValidTenantId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import type { ContentIndex, IndexTerms, SearchOptions, SearchPage, SearchPlan } from './content-index.js';
import { decodeStoredRecord, diffEntries, encodeStoredRecord, fieldsOf, indexEntries, recordBytes, SEGMENT_SIZE, segmentOf, storedRecordOf } from './search-layout.js';
import { checkPlan, checkSearchOptions, compareSearchOrder, encodeSearchCursor, inRange, type SearchPosition } from './search-plan-check.js';
import { checkTerms, termHash, type TermsRecord } from './search-terms.js';

/** Everything a {@link MemoryContentIndex} holds, by the Redis key and type the Redis adapter would use. */
export interface MemoryContentIndexDump {
  readonly strings: ReadonlyMap<string, string>;
  readonly hashes: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly sets: ReadonlyMap<string, ReadonlySet<string>>;
  readonly zsets: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * In-memory adapter of {@link ContentIndex} with the same semantics, keys and stored values
 * as {@link RedisContentIndex} (it passes the same contract suite). For other projects'
 * unit tests; single process, no persistence.
 */
export class MemoryContentIndex implements ContentIndex {
  /** Key names, as the Redis adapter without prefix would use them. */
  readonly keys: KeyBuilder = createKeyBuilder();
  private readonly strings = new Map<string, string>();
  private readonly hashes = new Map<string, Map<string, string>>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly zsets = new Map<string, Map<string, number>>();
  private readonly segmentSize: number;

  /** `segmentSize`: documents per segment (default {@link SEGMENT_SIZE}), as {@link RedisContentIndexOptions.segmentSize}. */
  constructor(options: { segmentSize?: number } = {}) {
    this.segmentSize = options.segmentSize ?? SEGMENT_SIZE;
  }

  replace(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): Promise<void> {
    return attempt(() => this.write(tenantId, executionId, checkTerms(tenantId, executionId, createdAtMs, terms)));
  }

  remove(tenantId: string, executionId: string): Promise<void> {
    return attempt(() => {
      assertValidTenantId(tenantId);
      assertValidId(executionId);
      this.write(tenantId, executionId, undefined);
    });
  }

  removeMany(tenantId: string, executionIds: readonly string[]): Promise<void> {
    return attempt(() => {
      assertValidTenantId(tenantId);
      for (const id of executionIds) assertValidId(id);
      for (const executionId of executionIds) this.write(tenantId, executionId, undefined);
    });
  }

  search(tenantId: string, plan: SearchPlan, options?: SearchOptions): Promise<SearchPage> {
    return attempt(() => {
      assertValidTenantId(tenantId);
      checkPlan(plan);
      const o = checkSearchOptions(options);
      const found: SearchPosition[] = [];
      for (const segment of this.hashes.get(this.keys.searchSpans(tenantId))?.keys() ?? []) {
        const ids = this.hashes.get(this.keys.searchIds(tenantId, Number(segment))) ?? new Map<string, string>();
        for (const doc of this.evaluate(tenantId, Number(segment), plan, new Set(ids.keys()))) {
          const row = ids.get(doc)!;
          const sep = row.indexOf(':');
          found.push({ createdAtMs: Number(row.slice(0, sep)), executionId: row.slice(sep + 1) });
        }
      }
      const ordered = found
        .filter((p) => (o.createdFromMs === undefined || p.createdAtMs >= o.createdFromMs) && (o.createdToMs === undefined || p.createdAtMs < o.createdToMs))
        .filter((p) => o.after === undefined || compareSearchOrder(p, o.after) > 0)
        .sort(compareSearchOrder);
      const page = ordered.slice(0, o.limit);
      const ids = page.map((p) => p.executionId);
      return ordered.length > o.limit ? { ids, nextCursor: encodeSearchCursor(page[page.length - 1]!) } : { ids };
    });
  }

  indexBytes(tenantId: string, executionId: string): Promise<number> {
    return attempt(() => {
      const raw = this.strings.get(this.keys.searchDoc(tenantId, executionId));
      if (raw === undefined) return 0;
      return recordBytes(raw, indexEntries(this.keys, tenantId, executionId, decodeStoredRecord(`${tenantId}/${executionId}`, raw), this.segmentSize));
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Test hook: everything stored, by the key and type Redis would hold it under (a copy). */
  inspect(): MemoryContentIndexDump {
    return {
      strings: new Map(this.strings),
      hashes: new Map([...this.hashes].map(([key, hash]) => [key, new Map(hash)])),
      sets: new Map([...this.sets].map(([key, set]) => [key, new Set(set)])),
      zsets: new Map([...this.zsets].map(([key, set]) => [key, new Map(set)])),
    };
  }

  // Mirrors RedisContentIndex.write + assign-fields.lua + replace-terms.lua.
  private write(tenantId: string, executionId: string, terms: TermsRecord | undefined): void {
    const recordKey = this.keys.searchDoc(tenantId, executionId);
    const raw = this.strings.get(recordKey) ?? '';
    if (raw === '' && terms === undefined) return;
    const seq = this.hash(this.keys.searchSeq(tenantId));
    const next = (counter: string): number => {
      const value = Number(seq.get(counter) ?? 0) + 1;
      seq.set(counter, String(value));
      return value;
    };
    const fids = new Map<string, number>();
    if (terms !== undefined) {
      const fields = this.hash(this.keys.searchFields(tenantId));
      for (const field of fieldsOf(terms)) {
        if (!fields.has(field)) fields.set(field, String(next('field')));
        fids.set(field, Number(fields.get(field)));
      }
    }
    const old = raw === '' ? undefined : decodeStoredRecord(`${tenantId}/${executionId}`, raw);
    const docId = old?.docId ?? next('doc');
    const record = terms === undefined ? undefined : storedRecordOf(terms, docId, fids);
    const encoded = record === undefined ? '' : encodeStoredRecord(record);
    if (raw === encoded) return;
    const entries = (r: typeof old): ReturnType<typeof indexEntries> => (r === undefined ? [] : indexEntries(this.keys, tenantId, executionId, r, this.segmentSize));
    const { removed, added } = diffEntries(entries(old), entries(record));
    for (const e of removed) if (e.type !== 'route') this.drop(e.type === 'set' ? this.sets : e.type === 'zset' ? this.zsets : this.hashes, e.key, e.member);
    for (const e of removed) {
      const holders = [...(this.zsets.get(e.texts ?? '')?.keys() ?? [])];
      if (e.type === 'route' && !holders.some((m) => m.startsWith(`${e.score}\0`))) this.drop(this.sets, e.key, e.member);
    }
    for (const e of added) {
      if (e.type === 'set' || e.type === 'route') this.sets.set(e.key, (this.sets.get(e.key) ?? new Set<string>()).add(e.member));
      else if (e.type === 'zset') this.zsets.set(e.key, (this.zsets.get(e.key) ?? new Map<string, number>()).set(e.member, Number(e.score)));
      else this.hash(e.key).set(e.member, e.score);
    }
    if (record === undefined) {
      this.strings.delete(recordKey);
      return;
    }
    this.strings.set(recordKey, encoded);
    const spans = this.hash(this.keys.searchSpans(tenantId));
    const segment = String(segmentOf(docId, this.segmentSize));
    const [lo, hi] = (spans.get(segment) ?? `${record.createdAtMs}:${record.createdAtMs}`).split(':').map(Number) as [number, number];
    spans.set(segment, `${Math.min(lo, record.createdAtMs)}:${Math.max(hi, record.createdAtMs)}`);
  }

  private hash(key: string): Map<string, string> {
    let hash = this.hashes.get(key);
    if (hash === undefined) this.hashes.set(key, (hash = new Map()));
    return hash;
  }

  // SREM / ZREM / HDEL: an emptied key disappears, as in Redis.
  private drop(from: Map<string, Set<string> | Map<string, unknown>>, key: string, member: string): void {
    const members = from.get(key);
    members?.delete(member);
    if (members?.size === 0) from.delete(key);
  }

  // The plan's meaning over one segment's documents (search-page.lua computes the same).
  private evaluate(tenantId: string, segment: number, plan: SearchPlan, all: ReadonlySet<string>): Set<string> {
    const fid = (field: string): string | undefined => this.hashes.get(this.keys.searchFields(tenantId))?.get(field);
    const postings = (kind: 'n' | 's', field: string): ReadonlyMap<string, number> => {
      const id = fid(field);
      return (id === undefined ? undefined : this.zsets.get(this.keys.searchPostings(tenantId, kind, segment, id))) ?? new Map<string, number>();
    };
    const members = (kind: 'n' | 's', field: string): string[] => [...postings(kind, field).keys()];
    if ('eq' in plan) return new Set(this.sets.get(this.keys.searchPostings(tenantId, 'e', segment, termHash(plan.eq))));
    if ('has' in plan) {
      const id = fid(plan.has);
      return new Set(id === undefined ? [] : this.sets.get(this.keys.searchPostings(tenantId, 'h', segment, id)));
    }
    if ('all' in plan) return new Set(all);
    if ('range' in plan) {
      const scored = [...postings('n', plan.range.field)];
      return new Set(scored.filter(([, score]) => inRange(score, plan.range)).map(([m]) => m.slice(0, m.indexOf(':'))));
    }
    if ('prefix' in plan || 'text' in plan) {
      const { field, value } = 'prefix' in plan ? plan.prefix : plan.text;
      const want = utf8('prefix' in plan ? value : `${value}\0`);
      const docs = members('s', field)
        .map(utf8)
        .filter((bytes) => bytes.length >= want.length && bytes.subarray(0, want.length).equals(want))
        .map((bytes) => bytes.subarray(bytes.indexOf(0, want.length - ('text' in plan ? 1 : 0)) + 1).toString('utf8'));
      return new Set(docs);
    }
    if ('not' in plan) {
      const child = this.evaluate(tenantId, segment, plan.not, all);
      return new Set([...all].filter((doc) => !child.has(doc)));
    }
    if ('and' in plan) {
      let result = new Set(all);
      for (const child of plan.and) {
        const docs = this.evaluate(tenantId, segment, child, all);
        result = new Set([...result].filter((doc) => docs.has(doc)));
      }
      return result;
    }
    const result = new Set<string>();
    for (const child of plan.or) for (const doc of this.evaluate(tenantId, segment, child, all)) result.add(doc);
    return result;
  }
}

function attempt<T>(body: () => T): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(error);
  }
}
