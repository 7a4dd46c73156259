import { Redis } from 'ioredis';
import { StorageFailureError, StoreError } from '../errors/store-errors.js';
import { assertValidId, assertValidTenantId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { createScriptRunner } from '../redis/redis-client.js';
import type { ContentIndex, IndexTerms, SearchOptions, SearchPage, SearchPlan } from './content-index.js';
import { compileSearch } from './search-compiler.js';
import { decodeStoredRecord, diffEntries, encodeStoredRecord, fieldsOf, indexEntries, recordBytes, SEGMENT_SIZE, segmentOf, storedRecordOf, type IndexEntry } from './search-layout.js';
import { checkPlan, checkSearchOptions, encodeSearchCursor } from './search-plan-check.js';
import { assignFieldsScript, removeDocsScript, ReplaceReply, replaceTermsScript, searchPageScript } from './search-scripts.js';
import { removalCalls } from './search-removal.js';
import { checkTerms, type TermsRecord } from './search-terms.js';

const REMOVE = { set: 'srem', zset: 'zrem', hash: 'hdel', route: 'rrem' } as const;
const ADD = { set: 'sadd', zset: 'zadd', hash: 'hset', route: 'sadd' } as const;

/** The Redis commands the content index uses; an ioredis `Redis` or `Cluster` satisfies it. */
export type ContentIndexRedisClient = Pick<Redis, 'get' | 'mget' | 'hincrby' | 'evalsha' | 'eval' | 'quit'>;

/** Options of {@link RedisContentIndex}. */
export interface RedisContentIndexOptions {
  /** A connected client (a `Redis` or a `Cluster`), or a URL (default `redis://localhost:6379`) for a client the index owns and closes. */
  readonly redis?: ContentIndexRedisClient | string;
  /** Deployment namespace prepended to every key, e.g. `prod:`. Default none. */
  readonly keyPrefix?: string;
  /** How often `replace`/`remove` retry when the execution's record changed between their read and their script. Default 16. */
  readonly maxAttempts?: number;
  /** Documents per segment (default {@link SEGMENT_SIZE}). For tests only: it must never change for existing data. */
  readonly segmentSize?: number;
}

/**
 * The Redis adapter of {@link ContentIndex}: per tenant, executions get document numbers and
 * their postings live in small per-segment keys (SETs of numbers, ZSETs of numbers and texts),
 * beside one record per execution, all under the hash tag `{<tenantId>}`: one Lua script
 * replaces an execution's terms, one Lua script computes a page of a search; works on a
 * Cluster. See docs/search-index.md.
 */
export class RedisContentIndex implements ContentIndex {
  readonly keys: KeyBuilder;
  private readonly client: ContentIndexRedisClient;
  private readonly ownsClient: boolean;
  private readonly maxAttempts: number;
  private readonly replaceScript: ReturnType<typeof createScriptRunner>;
  private readonly searchScript: ReturnType<typeof createScriptRunner>;
  private readonly fieldsScript: ReturnType<typeof createScriptRunner>;
  private readonly removeScript: ReturnType<typeof createScriptRunner>;
  private readonly segmentSize: number;

  constructor(options: RedisContentIndexOptions = {}) {
    this.keys = createKeyBuilder(options.keyPrefix);
    const redis = options.redis ?? 'redis://localhost:6379';
    this.ownsClient = typeof redis === 'string';
    this.client = typeof redis === 'string' ? new Redis(redis) : redis;
    this.maxAttempts = options.maxAttempts ?? 16;
    this.replaceScript = createScriptRunner(this.client, replaceTermsScript);
    this.searchScript = createScriptRunner(this.client, searchPageScript);
    this.fieldsScript = createScriptRunner(this.client, assignFieldsScript);
    this.removeScript = createScriptRunner(this.client, removeDocsScript);
    this.segmentSize = options.segmentSize ?? SEGMENT_SIZE;
  }

  async replace(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): Promise<void> {
    await this.write(tenantId, executionId, checkTerms(tenantId, executionId, createdAtMs, terms));
  }

  async remove(tenantId: string, executionId: string): Promise<void> {
    await this.removeMany(tenantId, [executionId]);
  }

  async removeMany(tenantId: string, executionIds: readonly string[]): Promise<void> {
    assertValidTenantId(tenantId);
    for (const id of executionIds) assertValidId(id);
    let ids = [...new Set(executionIds)];
    for (let attempt = 0; attempt < this.maxAttempts && ids.length > 0; attempt++) {
      const recordKeys = ids.map((id) => this.keys.searchDoc(tenantId, id));
      const raws = await this.run('remove', () => this.client.mget(...recordKeys));
      const held = ids.flatMap((executionId, i) => (raws[i] == null ? [] : [{ executionId, key: recordKeys[i]!, raw: raws[i]!, record: decodeStoredRecord(`${tenantId}/${executionId}`, raws[i]!) }]));
      const moved: string[] = [];
      for (const call of removalCalls(this.keys, tenantId, held, this.segmentSize)) {
        const reply = await this.run('remove', () => this.removeScript(call.keys, call.args));
        if (reply === ReplaceReply.RecordChanged) moved.push(...call.documents.map((d) => d.executionId));
        else if (reply !== ReplaceReply.Applied) throw new StorageFailureError('remove: unexpected reply');
      }
      ids = moved;
    }
    if (ids.length > 0) throw new StorageFailureError(`remove: the index of ${ids.length} execution(s) kept changing (${this.maxAttempts} attempts)`);
  }

  async search(tenantId: string, plan: SearchPlan, options?: SearchOptions): Promise<SearchPage> {
    assertValidTenantId(tenantId);
    checkPlan(plan);
    const o = checkSearchOptions(options);
    const { keys, args } = compileSearch(this.keys, tenantId, plan, o);
    const reply = await this.run('search', () => this.searchScript(keys, args));
    if (!Array.isArray(reply) || reply.length !== 3 || !Array.isArray(reply[0])) throw new StorageFailureError('search: unexpected reply');
    const [ids, nextScore, nextId] = reply as [string[], string, string];
    return nextId === '' ? { ids: ids.map(String) } : { ids: ids.map(String), nextCursor: encodeSearchCursor({ createdAtMs: Number(nextScore), executionId: nextId }) };
  }

  async indexBytes(tenantId: string, executionId: string): Promise<number> {
    const raw = await this.run('indexBytes', () => this.client.get(this.keys.searchDoc(tenantId, executionId)));
    return raw === null ? 0 : recordBytes(raw, this.entriesOf(tenantId, executionId, raw));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => undefined);
  }

  private entriesOf(tenantId: string, executionId: string, raw: string): IndexEntry[] {
    return indexEntries(this.keys, tenantId, executionId, decodeStoredRecord(`${tenantId}/${executionId}`, raw), this.segmentSize);
  }

  // The field numbers of the terms' fields (assigned on first use).
  private async fieldNumbers(tenantId: string, terms: TermsRecord): Promise<Map<string, number>> {
    const fields = fieldsOf(terms);
    if (fields.length === 0) return new Map();
    const ids = await this.run('replace', () => this.fieldsScript([this.keys.searchFields(tenantId), this.keys.searchSeq(tenantId)], fields));
    if (!Array.isArray(ids) || ids.length !== fields.length) throw new StorageFailureError('replace: unexpected reply when assigning field numbers');
    return new Map(fields.map((field, i) => [field, Number(ids[i])]));
  }

  // Reads the record, sends the difference to replace-terms.lua, retries if the record moved meanwhile.
  private async write(tenantId: string, executionId: string, terms: TermsRecord): Promise<void> {
    const recordKey = this.keys.searchDoc(tenantId, executionId);
    const read = (): Promise<string> => this.run('replace', () => this.client.get(recordKey)).then((raw) => raw ?? '');
    // field numbers and the first read of the record in one round trip
    const [fids, firstRaw] = await Promise.all([this.fieldNumbers(tenantId, terms), read()]);
    let newDocId: number | undefined;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const raw = attempt === 0 ? firstRaw : await read();
      const old = raw === '' ? undefined : decodeStoredRecord(`${tenantId}/${executionId}`, raw);
      const docId = old?.docId ?? (newDocId ??= await this.run('replace', () => this.client.hincrby(this.keys.searchSeq(tenantId), 'doc', 1)));
      const record = storedRecordOf(terms, docId, fids);
      const next = encodeStoredRecord(record);
      if (raw === next) return;
      const before = old === undefined ? [] : indexEntries(this.keys, tenantId, executionId, old, this.segmentSize);
      const { removed, added } = diffEntries(before, indexEntries(this.keys, tenantId, executionId, record, this.segmentSize));
      const keys = [recordKey, this.keys.searchSpans(tenantId)];
      const position = new Map<string, number>();
      const args: string[] = [raw, next, String(segmentOf(docId, this.segmentSize)), String(terms.createdAtMs)];
      const index = (key: string): number => {
        let i = position.get(key);
        if (i === undefined) {
          keys.push(key);
          i = keys.length;
          position.set(key, i);
        }
        return i;
      };
      const op = (name: string, e: IndexEntry): void => {
        const score = e.type === 'route' && name === 'rrem' ? `${index(e.texts!)}:${e.score}` : e.score;
        args.push(name, String(index(e.key)), e.member, score);
      };
      // route removals last: they look for the text's other holders once this execution's are gone
      for (const e of removed) if (e.type !== 'route') op(REMOVE[e.type], e);
      for (const e of removed) if (e.type === 'route') op('rrem', e);
      for (const e of added) op(ADD[e.type], e);
      const reply = await this.run('replace', () => this.replaceScript(keys, args));
      if (reply === ReplaceReply.Applied) return;
      if (reply !== ReplaceReply.RecordChanged) throw new StorageFailureError('replace: unexpected reply');
    }
    throw new StorageFailureError(`replace: the index of execution ${executionId} kept changing (${this.maxAttempts} attempts)`);
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StorageFailureError(`search index ${operation}`, { cause: error });
    }
  }
}
