import { Redis } from 'ioredis';
import { StorageFailureError, StoreError } from '../errors/store-errors.js';
import { assertValidId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { createScriptRunner } from '../redis/redis-client.js';
import type { ExecutionIndex, ExecutionPage, ExecutionSummary, ListExecutionsOptions } from './execution-index.js';
import {
  assertValidSummary,
  candidateSets,
  checkListExecutionsOptions,
  decodeSummary,
  encodeCursor,
  encodeSummary,
  EXECUTION_SCAN_BUDGET,
  STATUS_VALUES,
  statusName,
} from './execution-record.js';
import { listExecutionsScript, UpsertReply, upsertExecutionScript } from './execution-scripts.js';

/** The Redis commands the execution index uses; an ioredis `Redis` or `Cluster` satisfies it. */
export type ExecutionIndexRedisClient = Pick<Redis, 'hget' | 'hmget' | 'multi' | 'scan' | 'evalsha' | 'eval' | 'quit'>;

/** Options of {@link RedisExecutionIndex}. */
export interface RedisExecutionIndexOptions {
  /**
   * A connected client (a `Redis` or a `Cluster`), or a URL (default `redis://localhost:6379`)
   * for a client the index owns and closes.
   */
  readonly redis?: ExecutionIndexRedisClient | string;
  /** Deployment namespace prepended to every key, e.g. `prod:`. Default none. */
  readonly keyPrefix?: string;
}

/**
 * The Redis adapter of {@link ExecutionIndex}: per tenant a summary HASH and score-by-creation
 * ZSETs (all, per status, per workflow), all under the hash tag `{<tenantId>}` so that one Lua
 * script upserts (moving the execution between status sets) and one lists; works on a Cluster.
 * See docs/executions-index.md.
 */
export class RedisExecutionIndex implements ExecutionIndex {
  readonly keys: KeyBuilder;
  private readonly client: ExecutionIndexRedisClient;
  private readonly ownsClient: boolean;
  private readonly upsertScript: ReturnType<typeof createScriptRunner>;
  private readonly listScript: ReturnType<typeof createScriptRunner>;

  constructor(options: RedisExecutionIndexOptions = {}) {
    this.keys = createKeyBuilder(options.keyPrefix);
    const redis = options.redis ?? 'redis://localhost:6379';
    this.ownsClient = typeof redis === 'string';
    this.client = typeof redis === 'string' ? new Redis(redis) : redis;
    this.upsertScript = createScriptRunner(this.client, upsertExecutionScript);
    this.listScript = createScriptRunner(this.client, listExecutionsScript);
  }

  async upsert(summary: ExecutionSummary): Promise<void> {
    assertValidSummary(summary);
    const { tenantId, executionId, workflowId } = summary;
    const statusKeys = STATUS_VALUES.map((status) => this.keys.executionsByStatus(tenantId, statusName(status)));
    const workflowKey = this.keys.executionsByWorkflow(tenantId, workflowId);
    const call = (previousWorkflow: string): Promise<unknown> =>
      this.run('upsert', () =>
        this.upsertScript(
          [this.keys.executionSummaries(tenantId), this.keys.executions(tenantId), workflowKey, this.keys.executionsByWorkflow(tenantId, previousWorkflow), ...statusKeys],
          [executionId, encodeSummary(summary), String(summary.createdAtMs), String(summary.status), String(summary.updatedAtMs), workflowId, previousWorkflow],
        ),
      );
    let reply = await call(workflowId);
    // The stored summary names another workflow: once more, declaring that workflow's set too.
    if (Array.isArray(reply) && reply[0] === UpsertReply.OtherWorkflow) reply = await call(String(reply[1]));
    if (!Array.isArray(reply) || (reply[0] !== UpsertReply.Written && reply[0] !== UpsertReply.Stale)) throw new StorageFailureError('upsert: unexpected reply');
  }

  async list(options: ListExecutionsOptions): Promise<ExecutionPage> {
    const o = checkListExecutionsOptions(options);
    const sets = candidateSets(this.keys, o);
    const keys = [this.keys.executionSummaries(o.tenantId), ...sets, ...Array<string>(3 - sets.length).fill(sets[0] ?? '')];
    const reply = await this.run('list', () =>
      this.listScript(keys, [
        o.status === undefined ? '' : String(o.status),
        o.workflowId ?? '',
        o.createdToMs === undefined ? '' : String(o.createdToMs),
        o.createdFromMs === undefined ? '' : String(o.createdFromMs),
        o.after === undefined ? '' : String(o.after.createdAtMs),
        o.after?.executionId ?? '',
        String(o.limit),
        String(EXECUTION_SCAN_BUDGET),
      ]),
    );
    if (!Array.isArray(reply) || reply.length !== 3 || !Array.isArray(reply[0])) throw new StorageFailureError('list: unexpected reply');
    const [flat, nextScore, nextId] = reply as [string[], string, string];
    const items: ExecutionSummary[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) items.push(decodeSummary(o.tenantId, String(flat[i]), String(flat[i + 1])));
    return nextId === '' ? { items } : { items, nextCursor: encodeCursor({ createdAtMs: Number(nextScore), executionId: nextId }) };
  }

  async get(tenantId: string, executionId: string): Promise<ExecutionSummary | undefined> {
    const key = this.keys.executionSummaries(tenantId);
    assertValidId(executionId);
    const raw = await this.run('get', () => this.client.hget(key, executionId));
    return raw === null ? undefined : decodeSummary(tenantId, executionId, raw);
  }

  async tenants(): Promise<string[]> {
    // a Cluster's keys are spread over its masters: scan each
    const client = this.client as ExecutionIndexRedisClient & { nodes?: (role: 'master') => Pick<Redis, 'scan'>[] };
    const nodes = typeof client.nodes === 'function' ? client.nodes('master') : [client];
    const prefix = this.keys.executionSummaries('t').slice(0, -'{t}'.length);
    const tenants = new Set<string>();
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await this.run('tenants', () => node.scan(cursor, 'MATCH', `${prefix}{*}`, 'COUNT', 1000));
        for (const key of keys) tenants.add(key.slice(prefix.length + 1, -1));
        cursor = next;
      } while (cursor !== '0');
    }
    return [...tenants].sort();
  }

  async remove(tenantId: string, executionId: string): Promise<void> {
    await this.removeMany(tenantId, [executionId]);
  }

  async removeMany(tenantId: string, executionIds: readonly string[]): Promise<void> {
    const { keys } = this;
    const summariesKey = keys.executionSummaries(tenantId);
    for (const id of executionIds) assertValidId(id);
    const ids = [...new Set(executionIds)];
    if (ids.length === 0) return;
    const raws = await this.run('remove', () => this.client.hmget(summariesKey, ...ids));
    const listed = ids.flatMap((id, i) => (raws[i] == null ? [] : [decodeSummary(tenantId, id, raws[i]!)]));
    if (listed.length === 0) return;
    const listedIds = listed.map((s) => s.executionId);
    const multi = this.client.multi();
    multi.hdel(summariesKey, ...listedIds);
    for (const key of [keys.executions(tenantId), ...STATUS_VALUES.map((s) => keys.executionsByStatus(tenantId, statusName(s)))]) multi.zrem(key, ...listedIds);
    for (const workflowId of new Set(listed.map((s) => s.workflowId))) multi.zrem(keys.executionsByWorkflow(tenantId, workflowId), ...listed.filter((s) => s.workflowId === workflowId).map((s) => s.executionId));
    await this.run('remove', () => multi.exec());
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => undefined);
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StorageFailureError(`executions ${operation}`, { cause: error });
    }
  }
}
