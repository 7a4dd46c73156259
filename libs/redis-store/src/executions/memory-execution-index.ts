import { assertValidId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import type { ExecutionIndex, ExecutionPage, ExecutionSummary, ListExecutionsOptions } from './execution-index.js';
import {
  assertValidSummary,
  candidateSets,
  checkListExecutionsOptions,
  compareListOrder,
  decodeSummary,
  encodeCursor,
  encodeSummary,
  EXECUTION_SCAN_BUDGET,
  statusName,
  type ListPosition,
} from './execution-record.js';

/** Everything a {@link MemoryExecutionIndex} holds, by the Redis key and type the Redis adapter would use. */
export interface MemoryExecutionIndexDump {
  /** Summary hashes: execution id -> encoded summary. */
  readonly hashes: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Sorted sets: execution id -> score (createdAtMs). */
  readonly zsets: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * In-memory adapter of {@link ExecutionIndex} with the same semantics, keys and stored values
 * as {@link RedisExecutionIndex} (it passes the same contract suite). For other projects'
 * unit tests; single process, no persistence.
 */
export class MemoryExecutionIndex implements ExecutionIndex {
  /** Key names, as the Redis adapter without prefix would use them. */
  readonly keys: KeyBuilder = createKeyBuilder();
  private readonly hashes = new Map<string, Map<string, string>>();
  private readonly zsets = new Map<string, Map<string, number>>();

  upsert(summary: ExecutionSummary): Promise<void> {
    try {
      assertValidSummary(summary);
      this.apply(summary);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  list(options: ListExecutionsOptions): Promise<ExecutionPage> {
    try {
      return Promise.resolve(this.page(options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get(tenantId: string, executionId: string): Promise<ExecutionSummary | undefined> {
    try {
      const key = this.keys.executionSummaries(tenantId);
      assertValidId(executionId);
      const raw = this.hashes.get(key)?.get(executionId);
      return Promise.resolve(raw === undefined ? undefined : decodeSummary(tenantId, executionId, raw));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Test hook: everything stored, by the key and type Redis would hold it under (a copy). */
  inspect(): MemoryExecutionIndexDump {
    return {
      hashes: new Map([...this.hashes].map(([key, hash]) => [key, new Map(hash)])),
      zsets: new Map([...this.zsets].map(([key, set]) => [key, new Map(set)])),
    };
  }

  // Mirrors upsert-execution-11.lua step by step.
  tenants(): Promise<string[]> {
    const prefix = this.keys.executionSummaries('t').slice(0, -'{t}'.length);
    return Promise.resolve([...this.hashes.keys()].map((key) => key.slice(prefix.length + 1, -1)).sort());
  }

  remove(tenantId: string, executionId: string): Promise<void> {
    return this.removeMany(tenantId, [executionId]);
  }

  removeMany(tenantId: string, executionIds: readonly string[]): Promise<void> {
    try {
      const summariesKey = this.keys.executionSummaries(tenantId);
      for (const id of executionIds) assertValidId(id);
      const hash = this.hashes.get(summariesKey);
      for (const executionId of executionIds) {
        const old = hash?.get(executionId);
        if (old === undefined) continue;
        const o = decodeSummary(tenantId, executionId, old);
        hash!.delete(executionId);
        for (const key of [this.keys.executions(tenantId), this.keys.executionsByWorkflow(tenantId, o.workflowId), this.keys.executionsByStatus(tenantId, statusName(o.status))]) this.zrem(key, executionId);
      }
      if (hash?.size === 0) this.hashes.delete(summariesKey);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }


  private apply(summary: ExecutionSummary): void {
    const { tenantId, executionId: id, workflowId, status, createdAtMs } = summary;
    const summariesKey = this.keys.executionSummaries(tenantId);
    const old = this.hashes.get(summariesKey)?.get(id);
    if (old !== undefined) {
      const o = decodeSummary(tenantId, id, old);
      if (o.updatedAtMs > summary.updatedAtMs) return;
      if (o.workflowId !== workflowId) this.zrem(this.keys.executionsByWorkflow(tenantId, o.workflowId), id);
      if (o.status !== status) this.zrem(this.keys.executionsByStatus(tenantId, statusName(o.status)), id);
    }
    const hash = this.hashes.get(summariesKey) ?? new Map<string, string>();
    hash.set(id, encodeSummary(summary));
    this.hashes.set(summariesKey, hash);
    for (const key of [this.keys.executions(tenantId), this.keys.executionsByWorkflow(tenantId, workflowId), this.keys.executionsByStatus(tenantId, statusName(status))]) {
      const set = this.zsets.get(key) ?? new Map<string, number>();
      set.set(id, createdAtMs);
      this.zsets.set(key, set);
    }
  }

  private zrem(key: string, id: string): void {
    const set = this.zsets.get(key);
    set?.delete(id);
    if (set?.size === 0) this.zsets.delete(key);
  }

  // Mirrors list-executions-4.lua step by step.
  private page(options: ListExecutionsOptions): ExecutionPage {
    const o = checkListExecutionsOptions(options);
    let set: ReadonlyMap<string, number> | undefined;
    for (const key of candidateSets(this.keys, o)) {
      const candidate = this.zsets.get(key) ?? new Map<string, number>();
      if (set === undefined || candidate.size < set.size) set = candidate;
    }
    const entries: ListPosition[] = [...(set ?? [])].map(([executionId, createdAtMs]) => ({ executionId, createdAtMs })).sort(compareListOrder);
    const summaries = this.hashes.get(this.keys.executionSummaries(o.tenantId));
    const items: ExecutionSummary[] = [];
    let examined = 0;
    let last: ListPosition | undefined;
    let next: ListPosition | undefined;
    for (const entry of entries) {
      if (o.createdToMs !== undefined && entry.createdAtMs >= o.createdToMs) continue;
      if (o.after !== undefined && compareListOrder(entry, o.after) <= 0) continue;
      if (o.createdFromMs !== undefined && entry.createdAtMs < o.createdFromMs) break;
      if (examined === EXECUTION_SCAN_BUDGET) {
        next = last;
        break;
      }
      examined += 1;
      const raw = summaries?.get(entry.executionId);
      if (raw !== undefined) {
        const s = decodeSummary(o.tenantId, entry.executionId, raw);
        if ((o.status === undefined || s.status === o.status) && (o.workflowId === undefined || s.workflowId === o.workflowId)) {
          if (items.length === o.limit) {
            next = last;
            break;
          }
          items.push(s);
        }
      }
      last = entry;
    }
    return next === undefined ? { items } : { items, nextCursor: encodeCursor(next) };
  }
}
