import { parseDefinition } from '../../src/definitions/parse-definition.js';
import { workflowError, type WorkflowProblem } from '../../src/errors/workflow-error.js';
import { completeTask, decide, failTask, startExecution } from '../../src/engine/decide.js';
import { INITIAL_STATE, type EngineEvent, type ExecutionState } from '../../src/engine/engine-types.js';
import { evaluateJq } from '../../src/engine/jq-evaluate.js';
import { applyEvent } from '../../src/engine/reducer.js';

/** What an executor answers: the task's raw output, or the error it failed with. */
export type ExecutorResult = { readonly output: unknown } | { readonly error: WorkflowProblem };
/** Runs a `call` task: the task as `decide` hands it over (expressions evaluated), its input, its pointer. */
export type Executor = (task: Readonly<Record<string, unknown>>, input: unknown, pointer: string) => ExecutorResult;

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
export function drive(definitionText: string, input: unknown, executor: Executor = noExecutor): DriveResult {
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
      const result = executor(decision.task, decision.input, decision.pointer);
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

/** A fake HTTP/OpenAPI executor over canned petstore/httpbin answers; `requests` records what it was asked. */
export function fakeHttp(): { executor: Executor; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const executor: Executor = (task, input, pointer) => {
    const args = (task['with'] ?? {}) as Record<string, unknown>;
    let method: string;
    let url: string;
    let endpoint: unknown;
    if (task['call'] === 'http') {
      method = String(args['method'] ?? 'get').toUpperCase();
      endpoint = args['endpoint'];
      const uri = typeof endpoint === 'string' ? endpoint : String((endpoint as Record<string, unknown>)['uri']);
      url = interpolateUri(uri, input);
    } else if (task['call'] === 'openapi') {
      const operation = OPERATIONS[String(args['operationId'])];
      if (!operation) return { error: workflowError('configuration', pointer, { title: `Unknown operation ${String(args['operationId'])}` }).problem };
      const parameters = (args['parameters'] ?? {}) as Record<string, unknown>;
      method = operation.method;
      const query = operation.query.filter((q) => parameters[q] !== undefined).map((q) => `${q}=${encodeURIComponent(String(parameters[q]))}`);
      url = `https://petstore.swagger.io${interpolateUri(operation.path, parameters)}${query.length ? `?${query.join('&')}` : ''}`;
    } else {
      return { error: workflowError('runtime', pointer, { title: `Fake executor cannot run call: ${String(task['call'])}` }).problem };
    }
    const headers: Record<string, string> = { ...((args['headers'] ?? {}) as Record<string, string>) };
    const basic = (endpoint as { authentication?: { basic?: { username: string; password: string } } } | undefined)?.authentication?.basic;
    if (basic) headers['Authorization'] = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    requests.push({ method, url, headers, ...(args['body'] === undefined ? {} : { body: args['body'] }) });
    const response = answer(method, new URL(url), headers);
    if (response.status >= 400) {
      return { error: workflowError('communication', pointer, { status: response.status, title: STATUS_TITLES[response.status] ?? 'HTTP error' }).problem };
    }
    if (args['output'] === 'response') {
      return { output: { request: { method, uri: url, headers }, headers: { 'content-type': 'application/json' }, statusCode: response.status, content: response.content } };
    }
    return { output: response.content };
  };
  return { executor, requests };
}

/** The value at a dotted path (`error.instance`), or undefined. */
export function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** The dotted paths of `paths` that `value` lacks (CTK "should have properties"). */
export function missingProperties(value: unknown, ...paths: string[]): string[] {
  return paths.filter((p) => at(value, p) === undefined);
}
