import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { METRIC_PREFIX } from '@flunq/observability';
import type { ApiDeps, Handlers } from './context.js';
import { mountIoApiService } from './connect/mount.js';
import { loadOpenApi, operations, type OperationSchemas } from './openapi.js';
import { ApiProblem, badRequest, notFound, problemOf, unauthorized } from './problems.js';
import { eventHandlers } from './routes/events.js';
import { executionHandlers } from './routes/executions.js';
import { statsHandlers } from './routes/stats.js';
import { workflowHandlers } from './routes/workflows.js';

/** One route the app serves. */
export interface RouteEntry {
  readonly method: string;
  /** Fastify form, e.g. `/api/v1/:tenant/executions/:executionId`. */
  readonly url: string;
  readonly operationId: string;
}

/** The REST app, not listening yet, and the routes it serves (as Fastify registered them). */
export interface ApiApp {
  readonly app: FastifyInstance;
  readonly routes: readonly RouteEntry[];
}

const API_PREFIX = '/api/';
const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

interface RouteConfig {
  readonly operationId: string;
  /** Media types the request body may have (from the document); none when the route takes no body. */
  readonly accepts: readonly string[];
  /** The body is the text itself (a definition), not JSON to parse. */
  readonly rawBody: boolean;
}

const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0]!.trim().toLowerCase();
const pathOf = (url: string): string => url.split('?')[0]!;

/** What a 404 names for a route's resource: its execution, workflow (and version), or the tenant. */
function resourceOf(params: Record<string, string | undefined>, tenant: string): string {
  if (params['executionId']) return `execution ${params['executionId']}`;
  if (params['workflowId'] && params['version']) return `workflow ${params['workflowId']} version ${params['version']}`;
  if (params['workflowId']) return `workflow ${params['workflowId']}`;
  return `tenant ${tenant}`;
}

/** The tenant segment of `/api/v1/<tenant>/...` (also for URLs that match no route). */
function tenantOfUrl(url: string): string | undefined {
  const match = /^\/api\/v1\/([^/?]+)/.exec(url);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

/** A Fastify error (validation, body parsing, limits) as a problem. */
function frameworkProblem(error: FastifyError, request: FastifyRequest, bodyLimit: number): ApiProblem | undefined {
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    const errors = error.validation.map((v) => ({ path: `${where}${v.instancePath || ''}`, message: v.message ?? 'is invalid' }));
    return badRequest(`${where} does not match the schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const size = Number(request.headers['content-length'] ?? NaN);
      return new ApiProblem(413, 'payload-too-large', `the request body is over the limit of ${bodyLimit} bytes`, { limit: bodyLimit, ...(Number.isFinite(size) ? { size } : {}) });
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiProblem(415, 'unsupported-media-type', `Content-Type ${mediaType(request.headers['content-type']) || '(none)'} is not taken here`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest(error.message);
    default:
      return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? badRequest(error.message) : undefined;
  }
}

/**
 * Builds the REST view: every operation of `openapi.yaml` under `/api/v1/{tenant}`, with
 * the document's schemas for params, query, body and responses; bearer-key auth with
 * tenant isolation; RFC 7807 problems for every failure. The same server answers the
 * Connect `IoApiService` (src/connect/) at `/flunq.v1.IoApiService/*`.
 */
export async function buildApp(deps: ApiDeps, document = loadOpenApi()): Promise<ApiApp> {
  const bodyLimit = 2 * Math.max(deps.limits.maxWorkflowInputSize, deps.limits.maxPayloadSize) + 1024 * 1024;
  const app = Fastify({ logger: false, bodyLimit, return503OnClosing: true, routerOptions: { ignoreTrailingSlash: true } });
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const config = route.config as Partial<RouteConfig> | undefined;
    for (const method of [route.method].flat()) if (method !== 'HEAD' && config?.operationId) routes.push({ method, url: route.url, operationId: config.operationId });
  });

  // Bodies: JSON (with Fastify's prototype-poisoning protection), YAML as text; a definition keeps its JSON text.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((request.routeOptions.config as Partial<RouteConfig>).rawBody) return done(null, body);
    parseJson(request, body as string, done);
  });
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const requests = deps.metrics
    ? new Counter({ name: `${METRIC_PREFIX}http_requests_total`, help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'], registers: [deps.metrics.registry] })
    : undefined;
  const durations = deps.metrics
    ? new Histogram({ name: `${METRIC_PREFIX}http_request_duration_seconds`, help: 'HTTP request time in seconds.', labelNames: ['method', 'route'], registers: [deps.metrics.registry] })
    : undefined;

  // Auth first, before parsing or validation: no key or an unknown key is 401; a key of another tenant is the 404 a missing resource gives.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith(API_PREFIX)) return;
    const authorization = request.headers.authorization ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) throw unauthorized(authorization ? 'the Authorization header is not "Bearer <key>"' : 'an API key is required: Authorization: Bearer <key>');
    const keyTenant = deps.apiKeys.tenantOf(match[1]!);
    if (keyTenant === undefined) throw unauthorized('the API key is not known');
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const tenant = params['tenant'] ?? tenantOfUrl(request.url);
    if (tenant !== keyTenant) throw notFound(resourceOf(params, tenant ?? ''));
  });

  // Body media type must be one the operation declares.
  app.addHook('preParsing', async (request) => {
    const config = request.routeOptions.config as Partial<RouteConfig>;
    const type = mediaType(request.headers['content-type']);
    const hasBody = request.headers['content-length'] !== undefined ? request.headers['content-length'] !== '0' : request.headers['transfer-encoding'] !== undefined;
    if (!config.accepts?.length || (!hasBody && !type)) return;
    if (!config.accepts.includes(type)) throw new ApiProblem(415, 'unsupported-media-type', `Content-Type ${type || '(none)'} is not taken here; use ${config.accepts.join(', ')}`);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests?.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations?.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    deps.logger?.debug({ method: request.method, url: pathOf(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const sendProblem = (problem: ApiProblem, request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    reply.code(problem.status).headers(problem.headers).type('application/problem+json').send(problem.body(pathOf(request.url)));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemOf(error) ?? frameworkProblem(error, request, bodyLimit);
    if (problem) return sendProblem(problem, request, reply);
    deps.logger?.error({ err: error, method: request.method, url: pathOf(request.url) }, 'request failed');
    return sendProblem(new ApiProblem(500, 'internal', 'the request failed unexpectedly; the server log has the details'), request, reply);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(notFound(`${request.method} ${pathOf(request.url)}`), request, reply));

  const handlers: Handlers = { ...workflowHandlers(deps), ...executionHandlers(deps), ...eventHandlers(deps), ...statsHandlers(deps) };
  const documented = operations(document);
  const missing = documented.filter((op) => !handlers[op.operationId]).map((op) => op.operationId);
  const undocumented = Object.keys(handlers).filter((id) => !documented.some((op) => op.operationId === id));
  if (missing.length || undocumented.length) throw new Error(`openapi.yaml and the handlers differ: no handler for ${missing.join(', ') || '-'}; not documented: ${undocumented.join(', ') || '-'}`);

  for (const operation of documented) register(app, operation, handlers[operation.operationId]!, document);
  await mountIoApiService(app, deps);
  await app.ready();
  return { app, routes };
}

function register(app: FastifyInstance, operation: OperationSchemas, handler: Handlers[string], document: Record<string, unknown>): void {
  const item = (document['paths'] as Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, unknown> } }>>)[operation.path]!;
  const requestBody = item[operation.method.toLowerCase()]?.requestBody;
  const accepts = Object.keys(requestBody?.content ?? {});
  const config: RouteConfig = { operationId: operation.operationId, accepts, rawBody: operation.operationId === 'registerWorkflow' };
  app.route({
    method: operation.method as 'GET' | 'POST',
    url: operation.url,
    schema: operation.schema,
    config,
    // An optional body that is absent is an empty object to the schema.
    preValidation: async (request) => {
      if (request.body === undefined && requestBody && requestBody.required !== true) request.body = {};
    },
    handler: async (request, reply) => handler(request, reply, (request.params as { tenant: string }).tenant),
  });
}
