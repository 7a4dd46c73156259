import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDefinition } from '../../src/definitions/parse-definition.js';
import { workflowError, type WorkflowProblem } from '../../src/errors/workflow-error.js';
import { completeTask, decide, failTask, startExecution } from '../../src/engine/decide.js';
import { INITIAL_STATE, type EngineEvent, type ExecutionState } from '../../src/engine/engine-types.js';
import { evaluateJq } from '../../src/engine/jq-evaluate.js';
import { applyEvent } from '../../src/engine/reducer.js';

/** What an executor answers: the task's raw output, or the error it failed with. */
export type ExecutorResult = { readonly output: unknown } | { readonly error: WorkflowProblem };
/** Runs a `call` task: the task as `decide` hands it over (expressions evaluated), its input, its pointer. */
export type Executor = (task: Readonly<Record<string, unknown>>, input: unknown, pointer: string) => ExecutorResult | Promise<ExecutorResult>;

export interface DriveResult {
  readonly events: readonly EngineEvent[];
  readonly state: ExecutionState;
  /** Pointers of the tasks that completed, in order (composites after their bodies). */
  readonly completedTasks: readonly string[];
  /** The task names of {@link completedTasks} (last pointer segment). */
  readonly taskOrder: readonly string[];
}

const noExecutor: Executor = (_task, _input, pointer) => ({ error: workflowError('runtime', pointer, { title: 'No executor in this test' }).problem });

/** Runs a definition to its end with the real jq evaluator and `executor` for `call` tasks; delays are recorded at once. */
export async function drive(definitionText: string, input: unknown, executor: Executor = noExecutor): Promise<DriveResult> {
  const definition = parseDefinition(definitionText);
  const started = startExecution(definition, input, evaluateJq);
  const events: EngineEvent[] = [started];
  let state = applyEvent(definition, INITIAL_STATE, started);
  for (let guard = 0; guard < 1000; guard++) {
    const decision = decide(definition, state, evaluateJq);
    if (decision.kind === 'none') break;
    let event: EngineEvent;
    if (decision.kind === 'record' || decision.kind === 'delay') event = decision.event;
    else {
      const result = await executor(decision.task, decision.input, decision.pointer);
      event =
        'error' in result
          ? failTask(definition, state, decision.pointer, result.error, evaluateJq)
          : completeTask(definition, state, decision.pointer, decision.input, result.output, evaluateJq);
    }
    events.push(event);
    state = applyEvent(definition, state, event);
  }
  const completedTasks = events.flatMap((e) => (e.type === 'task.completed' ? [e.pointer] : []));
  return { events, state, completedTasks, taskOrder: completedTasks.map((p) => p.slice(p.lastIndexOf('/') + 1)) };
}

/** A request the fake endpoints received. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const PETS: Record<number, { id: number; name: string; status: string; category: { id: number; name: string }; photoUrls: string[]; tags: unknown[] }> = {
  1: { id: 1, name: 'doggie', status: 'available', category: { id: 1, name: 'Dogs' }, photoUrls: [], tags: [] },
  2: { id: 2, name: 'kitty', status: 'available', category: { id: 2, name: 'Cats' }, photoUrls: [], tags: [] },
  3: { id: 3, name: 'nemo', status: 'sold', category: { id: 3, name: 'Fish' }, photoUrls: [], tags: [] },
};

const STATUS_TITLES: Record<number, string> = { 401: 'Unauthorized', 404: 'Not Found' };

/** Replaces `{name}` in a URI template with the top-level properties of `input` (numbers stringified). */
export function interpolateUri(template: string, input: unknown): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[name] : undefined;
    return value === undefined || value === null ? whole : encodeURIComponent(String(value));
  });
}

/** Canned answers of the public petstore and httpbin, as the CTK expects them. */
function answer(method: string, url: URL, headers: Record<string, string>): { status: number; content: unknown } {
  if (url.host === 'petstore.swagger.io' && method === 'GET') {
    if (url.pathname === '/v2/pet/findByStatus') return { status: 200, content: Object.values(PETS).filter((p) => p.status === url.searchParams.get('status')) };
    const byId = /^\/v2\/pet\/(\d+)$/.exec(url.pathname);
    if (byId && PETS[Number(byId[1])]) return { status: 200, content: PETS[Number(byId[1])] };
    return { status: 404, content: { code: 404, type: 'error', message: 'java.lang.NumberFormatException' } };
  }
  if (url.host === 'httpbin.org' && method === 'GET') {
    const auth = /^\/basic-auth\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (auth) {
      const [user, password] = [decodeURIComponent(auth[1] ?? ''), decodeURIComponent(auth[2] ?? '')];
      const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      return headers['Authorization'] === expected ? { status: 200, content: { authenticated: true, user } } : { status: 401, content: null };
    }
  }
  return { status: 404, content: null };
}

const OPERATIONS: Record<string, { method: string; path: string; query: readonly string[] }> = {
  findPetsByStatus: { method: 'GET', path: '/v2/pet/findByStatus', query: ['status'] },
  getPetById: { method: 'GET', path: '/v2/pet/{petId}', query: [] },
};

/** Headers every fetch sends on its own; the rest are the ones the task asked for. */
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'user-agent', 'accept', 'accept-language', 'accept-encoding', 'sec-fetch-mode', 'content-length', 'x-forwarded-host']);

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

/**
 * A local HTTP server answering as the public petstore and httpbin do for the CTK, and an
 * executor that really calls it: the task's request is sent over HTTP to 127.0.0.1 with its
 * original host in `x-forwarded-host`. `requests` is what the server received.
 */
export async function localHttp(): Promise<{ executor: Executor; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const url = new URL(request.url ?? '/', `https://${String(request.headers['x-forwarded-host'])}`);
      const headers: Record<string, string> = {};
      for (let i = 0; i < request.rawHeaders.length; i += 2) {
        const name = request.rawHeaders[i] ?? '';
        if (!TRANSPORT_HEADERS.has(name.toLowerCase()) && !(text && name.toLowerCase() === 'content-type')) headers[name] = request.rawHeaders[i + 1] ?? '';
      }
      requests.push({ method: request.method ?? 'GET', url: url.href, headers, ...(text ? { body: JSON.parse(text) as unknown } : {}) });
      const answered = answer(request.method ?? 'GET', url, headers);
      response.writeHead(answered.status, { 'content-type': 'application/json' }).end(JSON.stringify(answered.content));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const executor: Executor = async (task, input, pointer) => {
    const request = requestOf(task, input);
    if ('error' in request) return { error: workflowError('configuration', pointer, { title: request.error }).problem };
    const target = new URL(request.url);
    const response = await fetch(`${local}${target.pathname}${target.search}`, {
      method: request.method,
      headers: { ...request.headers, 'x-forwarded-host': target.host, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const content = (await response.json()) as unknown;
    if (response.status >= 400) {
      return { error: workflowError('communication', pointer, { status: response.status, title: STATUS_TITLES[response.status] ?? 'HTTP error' }).problem };
    }
    if (request.output === 'response') {
      return { output: { request: { method: request.method, uri: request.url, headers: request.headers }, headers: { 'content-type': response.headers.get('content-type') }, statusCode: response.status, content } };
    }
    return { output: content };
  };
  return { executor, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  readonly output?: unknown;
}

/** The HTTP request a `call: http` or `call: openapi` task (expressions evaluated) asks for. */
function requestOf(task: Readonly<Record<string, unknown>>, input: unknown): HttpRequest | { error: string } {
  const args = (task['with'] ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = { ...((args['headers'] ?? {}) as Record<string, string>) };
  const extra = { ...(args['body'] === undefined ? {} : { body: args['body'] }), output: args['output'] };
  if (task['call'] === 'openapi') {
    const operation = OPERATIONS[String(args['operationId'])];
    if (!operation) return { error: `Unknown operation ${String(args['operationId'])}` };
    const parameters = (args['parameters'] ?? {}) as Record<string, unknown>;
    const query = operation.query.filter((q) => parameters[q] !== undefined).map((q) => `${q}=${encodeURIComponent(String(parameters[q]))}`);
    return { method: operation.method, url: `https://petstore.swagger.io${interpolateUri(operation.path, parameters)}${query.length ? `?${query.join('&')}` : ''}`, headers, ...extra };
  }
  if (task['call'] !== 'http') return { error: `This test executor cannot run call: ${String(task['call'])}` };
  const endpoint = args['endpoint'];
  const uri = typeof endpoint === 'string' ? endpoint : String((endpoint as Record<string, unknown>)['uri']);
  const basic = (endpoint as { authentication?: { basic?: { username: string; password: string } } } | undefined)?.authentication?.basic;
  if (basic) headers['Authorization'] = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  return { method: String(args['method'] ?? 'get').toUpperCase(), url: interpolateUri(uri, input), headers, ...extra };
}

/** The value at a dotted path (`error.instance`), or undefined. */
export function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** The dotted paths of `paths` that `value` lacks (CTK "should have properties"). */
export function missingProperties(value: unknown, ...paths: string[]): string[] {
  return paths.filter((p) => at(value, p) === undefined);
}
