import type { MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import { ExecutionStatus, IoApiService, type ExecutionSummarySchema, type WatchEventsResponseSchema } from '@flunq/proto-types';
import { hydrateState, type ExecutionSummary as IndexedExecution } from '@flunq/redis-store';
import { ownedState, type ApiDeps } from '../context.js';
import { notFound, problemOf } from '../problems.js';
import { CURSOR_PATTERN } from '../routes/events.js';
import { FINAL_EVENT_TYPES } from '../views.js';
import { tenantOf } from './auth.js';

/** Page sizes, as the REST view's `limit`: 1..1000, 100 when 0. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Largest event number `GetStateAt` takes (the REST view's bound of `at`). */
const MAX_AT = 1_000_000_000;

/** Connect codes of the REST view's problem statuses. */
const CODES: Readonly<Record<number, Code>> = {
  400: Code.InvalidArgument,
  401: Code.Unauthenticated,
  404: Code.NotFound,
  409: Code.AlreadyExists,
  413: Code.ResourceExhausted,
  415: Code.InvalidArgument,
  503: Code.Unavailable,
};

const invalid = (message: string): ConnectError => new ConnectError(message, Code.InvalidArgument);

function required(value: string, name: string): string {
  if (!value) throw invalid(`${name} is required`);
  return value;
}

function pageSize(limit: number): number {
  if (limit > MAX_LIMIT) throw invalid(`limit ${limit} is not in 1..${MAX_LIMIT}`);
  return limit || DEFAULT_LIMIT;
}

function cursor(value: string, name: string): string | undefined {
  if (!value) return undefined;
  if (!CURSOR_PATTERN.test(value)) throw invalid(`${name} is not an event cursor`);
  return value;
}

function summary(item: IndexedExecution): MessageInitShape<typeof ExecutionSummarySchema> {
  return {
    executionId: item.executionId,
    workflowId: item.workflowId,
    workflowVersion: item.workflowVersion,
    status: item.status,
    createdAtMs: BigInt(item.createdAtMs),
    updatedAtMs: BigInt(item.updatedAtMs),
    completedAtMs: BigInt(item.completedAtMs),
    correlationId: item.correlationId,
    replayOf: item.replayOf,
  };
}

/**
 * The failure as a Connect error: the REST view's problems keep their message (a missing
 * and another tenant's execution give the same one); anything unexpected is INTERNAL with
 * no internals in the message (they go to the log).
 */
function connectError(error: unknown, deps: ApiDeps, method: string): ConnectError {
  if (error instanceof ConnectError) return error;
  const problem = problemOf(error);
  if (problem) return new ConnectError(problem.message, problem.problem === 'corrupted-data' ? Code.DataLoss : (CODES[problem.status] ?? Code.Internal));
  deps.logger?.error({ err: error, rpc: method }, 'rpc failed');
  return new ConnectError('the request failed unexpectedly; the server log has the details', Code.Internal);
}

/** Runs a unary handler for the call's tenant, with its failures as Connect errors. */
async function answer<T>(deps: ApiDeps, method: string, context: HandlerContext, run: (tenant: string) => Promise<T>): Promise<T> {
  try {
    return await run(tenantOf(context));
  } catch (error) {
    throw connectError(error, deps, method);
  }
}

/**
 * `IoApiService` (proto/flunq/v1/io_api.proto): the REST view's reads answering with the
 * stored records (payloads as stored, already redacted), for `fastifyConnectPlugin` or
 * `connectNodeAdapter`. Needs {@link authInterceptor} in the router's interceptors (without
 * it every call is UNAUTHENTICATED). `shutdown` ends open WatchEvents streams (UNAVAILABLE).
 */
export function ioApiRoutes(deps: ApiDeps, shutdown: AbortSignal): (router: ConnectRouter) => void {
  return (router) => {
    router.service(IoApiService, {
      getExecution: (request, context) =>
        answer(deps, 'GetExecution', context, async (tenant) => {
          const executionId = required(request.executionId, 'execution_id');
          const state = await deps.store.readState(executionId);
          if (!state || state.tenantId !== tenant) throw notFound(`execution ${executionId}`);
          return { state };
        }),

      listExecutions: (request, context) =>
        answer(deps, 'ListExecutions', context, async (tenant) => {
          if (ExecutionStatus[request.status] === undefined) throw invalid(`status ${request.status} is not an ExecutionStatus`);
          const page = await deps.executions.list({
            tenantId: tenant,
            limit: pageSize(request.limit),
            ...(request.status !== ExecutionStatus.UNSPECIFIED ? { status: request.status } : {}),
            ...(request.workflowId ? { workflowId: request.workflowId } : {}),
            ...(request.createdAfterMs !== undefined ? { createdFromMs: Number(request.createdAfterMs) } : {}),
            ...(request.createdBeforeMs !== undefined ? { createdToMs: Number(request.createdBeforeMs) } : {}),
            ...(request.cursor ? { cursor: request.cursor } : {}),
          });
          // The index is per tenant already; this keeps a listing from ever showing another tenant's entry.
          return { executions: page.items.filter((item) => item.tenantId === tenant).map(summary), nextCursor: page.nextCursor ?? '' };
        }),

      listEvents: (request, context) =>
        answer(deps, 'ListEvents', context, async (tenant) => {
          const executionId = required(request.executionId, 'execution_id');
          const after = cursor(request.after, 'after');
          const limit = pageSize(request.limit);
          await ownedState(deps, tenant, executionId);
          const page = await deps.store.readEvents(executionId, { limit, ...(after ? { after } : {}) });
          return { events: page.events.map((stored) => stored.event), nextCursor: page.nextCursor ?? '', lastCursor: page.events.at(-1)?.cursor ?? '' };
        }),

      getStateAt: (request, context) =>
        answer(deps, 'GetStateAt', context, async (tenant) => {
          const executionId = required(request.executionId, 'execution_id');
          if (request.at < 1n || request.at > BigInt(MAX_AT)) throw invalid(`at ${request.at} is not in 1..${MAX_AT}`);
          if (!(await ownedState(deps, tenant, executionId))) throw notFound(`execution ${executionId}`);
          const state = await deps.client.stateAt(executionId, Number(request.at));
          if (!state) throw notFound(`execution ${executionId}`);
          return { state: await hydrateState(deps.store, executionId, state) };
        }),

      watchEvents: (request, context) => watchEvents(deps, shutdown, request.executionId, request.after, context),

      getDefinition: (request, context) =>
        answer(deps, 'GetDefinition', context, async (tenant) => {
          const workflowId = required(request.workflowId, 'workflow_id');
          const stored = await deps.definitions.get({ tenantId: tenant, workflowId, ...(request.version ? { version: request.version } : {}) });
          if (!stored) throw notFound(`workflow ${workflowId}${request.version ? ` version ${request.version}` : ''}`);
          const { version, source, sha256, registeredAtMs } = stored;
          return { definition: { workflowId: stored.workflowId, version, source, sha256, registeredAtMs: BigInt(registeredAtMs) } };
        }),
    });
  };
}

/**
 * `WatchEvents`: auth and tenancy are checked before the first message; then the recorded
 * events after `after` and each new one (`IoStore.watchEvents`) until the final event, the
 * client's cancel (the watch and its Redis connection close), or shutdown (UNAVAILABLE).
 */
async function* watchEvents(deps: ApiDeps, shutdown: AbortSignal, id: string, afterText: string, context: HandlerContext): AsyncGenerator<MessageInitShape<typeof WatchEventsResponseSchema>> {
  let executionId: string;
  let after: string | undefined;
  try {
    const tenant = tenantOf(context);
    executionId = required(id, 'execution_id');
    after = cursor(afterText, 'after');
    await ownedState(deps, tenant, executionId);
  } catch (error) {
    throw connectError(error, deps, 'WatchEvents');
  }
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  context.signal.addEventListener('abort', abort, { once: true });
  shutdown.addEventListener('abort', abort, { once: true });
  if (context.signal.aborted || shutdown.aborted) abort();
  let lastSequence = 0;
  try {
    for await (const stored of deps.store.watchEvents(executionId, { ...(after ? { after } : {}), signal: stop.signal })) {
      const sequence = Number(stored.event.sequence);
      if (sequence <= lastSequence) continue;
      lastSequence = sequence;
      after = stored.cursor;
      yield { event: stored.event, cursor: stored.cursor };
      if (FINAL_EVENT_TYPES.has(stored.event.type)) return;
    }
  } catch (error) {
    if (context.signal.aborted) return;
    deps.logger?.warn({ err: error, executionId }, 'event watch failed');
    throw connectError(error, deps, 'WatchEvents');
  } finally {
    context.signal.removeEventListener('abort', abort);
    shutdown.removeEventListener('abort', abort);
    stop.abort();
  }
  if (shutdown.aborted && !context.signal.aborted) throw new ConnectError(`io-api is shutting down; watch again with after=${after ?? ''}`, Code.Unavailable);
}
