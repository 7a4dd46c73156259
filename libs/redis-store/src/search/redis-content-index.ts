import { Redis } from 'ioredis';
import { StorageFailureError, StoreError } from '../errors/store-errors.js';
import { assertValidId, assertValidTenantId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { createScriptRunner } from '../redis/redis-client.js';
import type { ContentIndex, IndexTerms, SearchOptions, SearchPage, SearchPlan } from './content-index.js';
import { compileSearch } from './search-compiler.js';
import {
  checkPlan,
  checkSearchOptions,
  checkTerms,
  decodeTermsRecord,
  diffEntries,
  encodeSearchCursor,
  encodeTermsRecord,
  indexEntries,
  recordBytes,
  type IndexEntry,
} from './search-record.js';
import { ReplaceReply, replaceTermsScript, searchPageScript } from './search-scripts.js';

/** The Redis commands the content index uses; an ioredis `Redis` or `Cluster` satisfies it. */
export type ContentIndexRedisClient = Pick<Redis, 'get' | 'evalsha' | 'eval' | 'quit'>;

/** Options of {@link RedisContentIndex}. */
export interface RedisContentIndexOptions {
  /** A connected client (a `Redis` or a `Cluster`), or a URL (default `redis://localhost:6379`) for a client the index owns and closes. */
  readonly redis?: ContentIndexRedisClient | string;
  /** Deployment namespace prepended to every key, e.g. `prod:`. Default none. */
  readonly keyPrefix?: string;
  /** How often `replace`/`remove` retry when the execution's record changed between their read and their script. Default 16. */
  readonly maxAttempts?: number;
}

/**
 * The Redis adapter of {@link ContentIndex}: per tenant, equality SETs, numeric and prefix
 * ZSETs, field-presence SETs, the all-executions ZSET and one record per execution, all under
 * the hash tag `{<tenantId>}`, so one Lua script replaces an execution's terms and one Lua
 * script computes a page of a search; works on a Cluster. See docs/search-index.md.
 */
export class RedisContentIndex implements ContentIndex {
  readonly keys: KeyBuilder;
  private readonly client: ContentIndexRedisClient;
  private readonly ownsClient: boolean;
  private readonly maxAttempts: number;
  private readonly replaceScript: ReturnType<typeof createScriptRunner>;
  private readonly searchScript: ReturnType<typeof createScriptRunner>;

  constructor(options: RedisContentIndexOptions = {}) {
    this.keys = createKeyBuilder(options.keyPrefix);
    const redis = options.redis ?? 'redis://localhost:6379';
    this.ownsClient = typeof redis === 'string';
    this.client = typeof redis === 'string' ? new Redis(redis) : redis;
    this.maxAttempts = options.maxAttempts ?? 16;
    this.replaceScript = createScriptRunner(this.client, replaceTermsScript);
    this.searchScript = createScriptRunner(this.client, searchPageScript);
  }

  async replace(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): Promise<void> {
    const record = checkTerms(tenantId, executionId, createdAtMs, terms);
    await this.write(tenantId, executionId, encodeTermsRecord(record), String(createdAtMs), indexEntries(this.keys, tenantId, executionId, record));
  }

  async remove(tenantId: string, executionId: string): Promise<void> {
    assertValidTenantId(tenantId);
    assertValidId(executionId);
    await this.write(tenantId, executionId, '', '', []);
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
    const key = this.keys.searchTerms(tenantId, executionId);
    const raw = await this.run('indexBytes', () => this.client.get(key));
    if (raw === null) return 0;
    return recordBytes(raw, indexEntries(this.keys, tenantId, executionId, decodeTermsRecord(`${tenantId}/${executionId}`, raw)));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => undefined);
  }

  // Reads the record, sends the difference to replace-terms.lua, retries if the record moved meanwhile.
  private async write(tenantId: string, executionId: string, next: string, createdAtMs: string, entries: IndexEntry[]): Promise<void> {
    const allKey = this.keys.searchAll(tenantId);
    const recordKey = this.keys.searchTerms(tenantId, executionId);
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const raw = (await this.run('replace', () => this.client.get(recordKey))) ?? '';
      if (raw === next) return;
      const before = raw === '' ? [] : indexEntries(this.keys, tenantId, executionId, decodeTermsRecord(`${tenantId}/${executionId}`, raw));
      const { removed, added } = diffEntries(before, entries);
      const keys = [allKey, recordKey];
      const position = new Map<string, number>();
      const args: string[] = [raw, next, executionId, createdAtMs];
      const op = (name: string, e: IndexEntry): void => {
        let i = position.get(e.key);
        if (i === undefined) {
          keys.push(e.key);
          i = keys.length;
          position.set(e.key, i);
        }
        args.push(name, String(i), e.member, name === 'zadd' ? String(e.score) : '');
      };
      for (const e of removed) op(e.type === 'set' ? 'srem' : 'zrem', e);
      for (const e of added) op(e.type === 'set' ? 'sadd' : 'zadd', e);
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
