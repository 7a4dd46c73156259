import { responseProblems, sseDataProblems } from './openapi-check.js';

/** A response as the tests see it. */
export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** Options of one call. */
export interface CallOptions {
  readonly key?: string | undefined;
  readonly json?: unknown;
  readonly text?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** Every (method, path template, status) seen, for the coverage check. */
export const seen = new Set<string>();

/**
 * Calls the API over HTTP and checks the response against openapi.yaml: an undocumented
 * status or content type, or a body that does not match the schema, fails the call.
 */
export function apiClient(baseUrl: () => string) {
  return async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers['authorization'] = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.text !== undefined) {
      body = options.text;
      headers['content-type'] = options.contentType ?? 'application/yaml';
    }
    const response = await fetch(`${baseUrl()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed = contentType.includes('json') ? (JSON.parse(text) as T) : (text as T);
    const problems = responseProblems(method, path, response.status, contentType, parsed);
    if (problems.length) throw new Error(`response drifted from openapi.yaml:\n${problems.join('\n')}\nbody: ${text.slice(0, 2000)}`);
    seen.add(`${method} ${path.split('?')[0]} ${response.status}`);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

/** One Server-Sent Events message. */
export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: any;
  readonly comment?: string;
  readonly at: number;
}

/** Opens an SSE stream; `messages` fills as they arrive (each `data` checked against the document); `done` settles when the server ends it. */
export async function openSse(url: string, key: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const messages: SseMessage[] = [];
  const problems: string[] = [];
  const path = new URL(url).pathname;
  const done = (async () => {
    if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: Record<string, unknown> = { at: Date.now() };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message['comment'] = line.slice(1).trim();
            else {
              const colon = line.indexOf(':');
              const name = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, '');
              message[name] = name === 'data' ? JSON.parse(value) : value;
            }
          }
          if (message['data'] !== undefined && message['event'] !== 'error') problems.push(...sseDataProblems(path, message['data']));
          if (message['retry'] === undefined) messages.push(message as unknown as SseMessage);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { response, messages, problems, done, close: () => controller.abort() };
}
