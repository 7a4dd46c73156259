import type { EngineClient } from '@flunq/engine';
import type { Logger, ServiceMetrics } from '@flunq/observability';
import type { SearchOptions } from '@flunq/query';
import type { WorkflowState } from '@flunq/proto-types';
import type { ContentIndex, DefinitionStore, ExecutionIndex, IoStore, MemoryByKind, StatsStore } from '@flunq/redis-store';
import type { PayloadSerializer, SizeLimits } from '@flunq/serializer';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeys } from './api-keys.js';
import { notFound } from './problems.js';

/** What the REST app is built from (see api-service.ts for the Redis wiring). */
export interface ApiDeps {
  readonly apiKeys: ApiKeys;
  readonly store: IoStore;
  readonly definitions: DefinitionStore;
  readonly client: EngineClient;
  readonly serializer: PayloadSerializer;
  /** The execution listing (`GET /executions`): only `list` is used. */
  readonly executions: Pick<ExecutionIndex, 'list' | 'get'>;
  /** Content search (`GET /executions?q=`): only `search` is used. Absent: `q` answers 503. */
  readonly search?: Pick<ContentIndex, 'search'>;
  /** What the engine indexes (`FLUNQ_SEARCH_MAX_DEPTH`, `FLUNQ_SEARCH_MAX_VALUE_LENGTH`); default the query limits. */
  readonly searchOptions?: SearchOptions;
  /** Execution analytics (`GET /stats`): only `read` is used. Absent: `/stats` answers 503. */
  readonly stats?: Pick<StatsStore, 'read'>;
  /** Redis memory of the tenant's keys by kind (`redis_memory` of `GET /stats`), e.g. `RedisStatsStore.memoryByKind`. Absent: not reported. */
  readonly redisMemory?: (tenantId: string) => Promise<MemoryByKind>;
  readonly limits: SizeLimits;
  /** Idle time before an SSE heartbeat comment, default 15 s. */
  readonly sseHeartbeatMs?: number;
  readonly logger?: Logger;
  readonly metrics?: ServiceMetrics;
}

/** A route handler: the value it returns is the response body (unless it sent the reply itself). */
export type Handler = (request: FastifyRequest, reply: FastifyReply, tenant: string) => Promise<unknown>;

/** Handlers by the document's `operationId`. */
export type Handlers = Record<string, Handler>;

/** A path, query or body member of a request (validated by the route schema before the handler runs). */
export function field<T = string>(source: unknown, name: string): T {
  return (source as Record<string, T>)[name] as T;
}

/**
 * The tenant's execution, bare (payloads are references), or a 404 exactly like a missing
 * one when it belongs to another tenant. When the state has expired before the events, the
 * first event tells whose it is.
 */
export async function ownedState(deps: ApiDeps, tenant: string, executionId: string): Promise<WorkflowState | undefined> {
  const state = await deps.store.readState(executionId, { hydrate: false });
  if (state) {
    if (state.tenantId !== tenant) throw notFound(`execution ${executionId}`);
    return state;
  }
  const first = (await deps.store.readEvents(executionId, { limit: 1 })).events[0];
  if (!first || first.event.tenantId !== tenant) throw notFound(`execution ${executionId}`);
  return undefined;
}
