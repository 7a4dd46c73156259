import { ExecutorFailure } from '@flunq/executor-kit';

/** The request an http call task describes, ready for fetch. */
export interface HttpRequestPlan {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** `content` (default), `response` or `raw`. */
  readonly output: 'content' | 'response' | 'raw';
  /** DSL `redirect`: when true 3xx answers are followed and not errors. Default false. */
  readonly redirect: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function misconfigured(detail: string): ExecutorFailure {
  return new ExecutorFailure({ type: 'configuration', title: 'Invalid http call', detail });
}

/**
 * Fills `{name}` placeholders of a URI template from the top-level properties of the task
 * input (URI-encoded); a placeholder with no value is left as written.
 */
export function interpolateUri(template: string, input: unknown): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const value = isObject(input) ? input[name] : undefined;
    return value === undefined || value === null ? whole : encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

function authorization(authentication: unknown): string | undefined {
  if (authentication === undefined) return undefined;
  if (!isObject(authentication)) throw misconfigured('endpoint.authentication must be an object');
  const { basic, bearer } = authentication as { basic?: Json; bearer?: Json };
  if (isObject(basic) && typeof basic['username'] === 'string' && typeof basic['password'] === 'string') {
    return `Basic ${Buffer.from(`${basic['username']}:${basic['password']}`).toString('base64')}`;
  }
  if (isObject(bearer) && typeof bearer['token'] === 'string') return `Bearer ${bearer['token']}`;
  const kinds = Object.keys(authentication).join(', ') || 'none';
  throw misconfigured(`authentication (${kinds}) is not supported here: use basic {username, password} or bearer {token}`);
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw misconfigured(`${what} must be an object`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function endpointOf(args: Json, input: unknown): { url: URL; auth?: string } {
  const endpoint = args['endpoint'];
  const template = typeof endpoint === 'string' ? endpoint : isObject(endpoint) ? endpoint['uri'] : undefined;
  if (typeof template !== 'string' || !template) throw misconfigured('with.endpoint must be a URI or {uri, authentication}');
  const uri = interpolateUri(template, input);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw misconfigured(`endpoint "${uri}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw misconfigured(`endpoint "${uri}" is not http(s)`);
  const auth = isObject(endpoint) ? authorization(endpoint['authentication']) : undefined;
  return auth === undefined ? { url } : { url, auth };
}

const OUTPUTS = ['content', 'response', 'raw'] as const;

/** Reads the `with` of a `call: http` task (expressions already evaluated) into a request; throws a `configuration` failure when it is malformed. */
export function planHttpRequest(task: Json, input: unknown): HttpRequestPlan {
  const args = task['with'];
  if (!isObject(args)) throw misconfigured('the task has no "with" object');
  const method = String(args['method'] ?? 'get').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw misconfigured(`method "${method}" is not an HTTP method`);
  const output = args['output'] ?? 'content';
  if (!OUTPUTS.includes(output as (typeof OUTPUTS)[number])) throw misconfigured(`output "${String(output)}" is not one of ${OUTPUTS.join(', ')}`);
  const { url, auth } = endpointOf(args, input);
  for (const [name, value] of Object.entries(stringRecord(args['query'], 'with.query'))) url.searchParams.append(name, value);
  const headers = stringRecord(args['headers'], 'with.headers');
  if (auth !== undefined) headers['authorization'] = auth;
  const plan = { method, url: url.href, headers, output: output as HttpRequestPlan['output'], redirect: args['redirect'] === true };
  const body = args['body'];
  if (body === undefined || method === 'GET' || method === 'HEAD') return plan;
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (!hasType) headers['content-type'] = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  return { ...plan, body: typeof body === 'string' ? body : JSON.stringify(body) };
}
