import { ExecutionStatus } from '@flunq/proto-types';
import { equalityPlan, searchPlanOf, withAllTasks } from '@flunq/engine';
import { formatQueryError, parseQuery, pathDepth, printPath, QueryError, type QueryNode, type SearchOptions } from '@flunq/query';
import type { ExecutionSummary } from '@flunq/redis-store';
import { field, ownedState, type ApiDeps, type Handlers } from '../context.js';
import { ApiProblem, badRequest, notFound } from '../problems.js';
import { stateView } from '../views.js';

const seg = encodeURIComponent;
const iso = (ms: number): string => new Date(ms).toISOString();

function summaryView(summary: ExecutionSummary): Record<string, unknown> {
  return {
    id: summary.executionId,
    workflow_id: summary.workflowId,
    workflow_version: summary.workflowVersion,
    status: ExecutionStatus[summary.status] ?? 'UNSPECIFIED',
    created_at: iso(summary.createdAtMs),
    updated_at: iso(summary.updatedAtMs),
    ...(summary.completedAtMs > 0 ? { completed_at: iso(summary.completedAtMs) } : {}),
    correlation_id: summary.correlationId,
    ...(summary.replayOf ? { replay_of: summary.replayOf } : {}),
  };
}

/** The query string of `GET /executions`. */
interface ListQuery {
  status?: string;
  workflow_id?: string;
  created_after?: string;
  created_before?: string;
  cursor?: string;
  limit?: number;
  q?: string;
}

/** The first path of the query deeper than what the deployment indexes, if any. */
function tooDeep(node: QueryNode, maxDepth: number): string[] | undefined {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.map((child) => tooDeep(child, maxDepth)).find((path) => path !== undefined);
    case 'not':
      return tooDeep(node.child, maxDepth);
    default:
      return pathDepth(node.path) > maxDepth ? node.path : undefined;
  }
}

/** 400 for a query the index cannot answer: a path deeper than `FLUNQ_SEARCH_MAX_DEPTH`. */
function checkIndexable(node: QueryNode, options: SearchOptions | undefined): void {
  const maxDepth = options?.maxDepth;
  const path = maxDepth === undefined ? undefined : tooDeep(node, maxDepth);
  if (path === undefined) return;
  const message = `${printPath(path)} is ${pathDepth(path)} levels deep; this deployment indexes ${maxDepth} (FLUNQ_SEARCH_MAX_DEPTH)`;
  throw badRequest(message, [{ path: 'q', message }]);
}

/**
 * `GET /executions?q=`: the content search. The query (docs/query-language.md) becomes an
 * index plan; `status` and `workflow_id` are added to it as terms; time and paging as usual.
 */
async function searchExecutions(deps: ApiDeps, tenant: string, query: ListQuery): Promise<Record<string, unknown>> {
  if (!deps.search) throw new ApiProblem(503, 'storage-unavailable', 'content search is not configured on this io-api');
  let parsed: QueryNode;
  try {
    parsed = parseQuery(query.q ?? '');
  } catch (error) {
    if (error instanceof QueryError) throw badRequest(error.message, [{ path: 'q', message: formatQueryError(query.q ?? '', error) }]);
    throw error;
  }
  const filters = [
    ...(query.status ? [equalityPlan(['status'], query.status)] : []),
    ...(query.workflow_id ? [equalityPlan(['workflow'], query.workflow_id)] : []),
  ];
  checkIndexable(parsed, deps.searchOptions);
  const content = searchPlanOf(parsed, deps.searchOptions);
  const plan = filters.length ? { and: [content, ...filters] } : content;
  const page = await deps.search.search(tenant, plan, {
    ...(query.created_after ? { createdFromMs: Date.parse(query.created_after) } : {}),
    ...(query.created_before ? { createdToMs: Date.parse(query.created_before) } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.limit ? { limit: query.limit } : {}),
  });
  const summaries = await Promise.all(page.ids.map((id) => deps.executions.get(tenant, id)));
  const items = summaries.filter((s): s is ExecutionSummary => s !== undefined && s.tenantId === tenant).map(summaryView);
  return { items, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) };
}

/** `GET /executions`, `GET /executions/{id}`, `/state?at=N`, `POST /executions/{id}/replay`, `/cancel`. */
export function executionHandlers(deps: ApiDeps): Handlers {
  return {
    async listExecutions(request, _reply, tenant) {
      const query = request.query as ListQuery;
      if (query.q !== undefined) return searchExecutions(deps, tenant, query);
      const page = await deps.executions.list({
        tenantId: tenant,
        ...(query.status ? { status: ExecutionStatus[query.status as keyof typeof ExecutionStatus] } : {}),
        ...(query.workflow_id ? { workflowId: query.workflow_id } : {}),
        ...(query.created_after ? { createdFromMs: Date.parse(query.created_after) } : {}),
        ...(query.created_before ? { createdToMs: Date.parse(query.created_before) } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      });
      // The index is per tenant already; this keeps a listing from ever showing another tenant's entry.
      const items = page.items.filter((item) => item.tenantId === tenant).map(summaryView);
      return { items, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) };
    },

    async getExecution(request, _reply, tenant) {
      const executionId = field(request.params, 'executionId');
      const state = await deps.store.readState(executionId);
      if (!state || state.tenantId !== tenant) throw notFound(`execution ${executionId}`);
      return stateView(await withAllTasks(deps.store, executionId, state), deps.serializer);
    },

    async getStateAt(request, _reply, tenant) {
      const executionId = field(request.params, 'executionId');
      const at = field<number>(request.query, 'at');
      const current = await ownedState(deps, tenant, executionId);
      if (!current) throw notFound(`execution ${executionId}`);
      const state = await deps.client.stateAt(executionId, at);
      if (!state) throw notFound(`execution ${executionId}`);
      return stateView(await withAllTasks(deps.store, executionId, state), deps.serializer);
    },

    async replayExecution(request, reply, tenant) {
      const executionId = field(request.params, 'executionId');
      const body = (request.body ?? {}) as { input?: unknown; from_event?: number; from_task?: string };
      if (!(await ownedState(deps, tenant, executionId))) throw notFound(`execution ${executionId}`);
      const started = await deps.client.replay(executionId, {
        ...('input' in body ? { input: body.input } : {}),
        ...(body.from_event !== undefined ? { fromEvent: body.from_event } : {}),
        ...(body.from_task !== undefined ? { fromTaskId: body.from_task } : {}),
      });
      reply.code(202).header('location', `/api/v1/${seg(tenant)}/executions/${seg(started.executionId)}`);
      return { id: started.executionId, workflow_id: started.workflowId, version: started.version, status: started.status.toUpperCase(), replay_of: started.replayOf ?? executionId };
    },

    async cancelExecution(request, _reply, tenant) {
      const executionId = field(request.params, 'executionId');
      if (!(await ownedState(deps, tenant, executionId))) throw notFound(`execution ${executionId}`);
      const status = await deps.client.cancelExecution(executionId, 'cancelled through the API');
      return { id: executionId, status: status.toUpperCase() };
    },
  };
}
