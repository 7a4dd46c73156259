import { ExecutorFailure, type TaskContext, type TaskHandler } from '@flunq/executor-kit';
import { planHttpRequest, type HttpRequestPlan } from './http-request.js';
import { readBody } from './read-body.js';

/** Options of {@link createHttpCall}. */
export interface HttpCallOptions {
  /** Largest response body read; a larger one fails the task (413). Default 5 MiB. */
  readonly maxResponseBytes?: number;
}

const RETRYABLE_STATUS = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** Milliseconds a `Retry-After` header asks to wait (seconds or an HTTP date), if any. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function statusFailure(plan: HttpRequestPlan, response: Response, text: string): ExecutorFailure {
  const retryable = RETRYABLE_STATUS(response.status);
  const wait = retryable ? retryAfterMs(response.headers.get('retry-after')) : undefined;
  const excerpt = text.length > 500 ? `${text.slice(0, 500)}...` : text;
  return new ExecutorFailure({
    type: 'communication',
    status: response.status,
    title: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    detail: `${plan.method} ${plan.url} answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
    retryable,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  });
}

function contentOf(bytes: Buffer, contentType: string, plan: HttpRequestPlan): unknown {
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  if (!/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ExecutorFailure({ type: 'communication', title: 'Unreadable HTTP response', detail: `${plan.method} ${plan.url} sent ${contentType} that is not valid JSON` });
  }
}

async function send(plan: HttpRequestPlan, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(plan.url, { method: plan.method, headers: plan.headers, body: plan.body ?? null, redirect: plan.redirect ? 'follow' : 'manual', signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new ExecutorFailure({ type: 'communication', status: 503, title: 'HTTP request failed', detail: `${plan.method} ${plan.url}: ${reason}`, retryable: true }, { cause: error });
  }
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** The request headers as `output: response` reports them: credentials redacted, since outputs are stored. */
function reportedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? '<redacted>' : v]));
}

function shape(plan: HttpRequestPlan, response: Response, bytes: Buffer): unknown {
  if (plan.output === 'raw') return bytes.toString('base64');
  const content = contentOf(bytes, response.headers.get('content-type') ?? '', plan);
  if (plan.output === 'content') return content;
  return {
    request: { method: plan.method, uri: plan.url, headers: reportedHeaders(plan.headers) },
    headers: Object.fromEntries(response.headers),
    statusCode: response.status,
    content,
  };
}

/**
 * The built-in `call: http` handler (DSL 1.0): method, endpoint (URI template filled from
 * the input's top-level properties, or `{uri, authentication: basic | bearer}`), query,
 * headers, JSON or text body, `output: content | response | raw` (raw = base64 body),
 * `redirect`. `output: response` redacts the Authorization headers it reports. Answers
 * outside 2xx (3xx allowed with `redirect: true`) fail the task with a `communication`
 * error carrying the status, retryable for 408, 429 and 5xx (honouring `Retry-After`);
 * network errors are retryable `communication` errors.
 */
export function createHttpCall(options: HttpCallOptions = {}): TaskHandler {
  const maxBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;
  return async (input: unknown, context: TaskContext) => {
    const plan = planHttpRequest(context.task, input);
    const response = await send(plan, context.signal);
    const bytes = await readBody(response, maxBytes, `${plan.method} ${plan.url}`, context.signal);
    const ok = response.status >= 200 && response.status < (plan.redirect ? 400 : 300);
    if (!ok) throw statusFailure(plan, response, bytes.toString('utf8'));
    return shape(plan, response, bytes);
  };
}
