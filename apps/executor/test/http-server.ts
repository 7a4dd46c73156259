import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskContext } from '@flunq/executor-kit';

/** What the test server saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * A local HTTP server for http-call tests. Paths: `/echo/...` answers JSON describing the
 * request, `/text` plain text, `/status/<code>` that status (with `Retry-After: 3` on 503),
 * `/redirect` a 302 to /echo/redirected, `/empty` 204, `/bytes` binary, `/big` 64 KiB of text,
 * `/bad-json` invalid JSON labelled as JSON.
 */
export async function startTestServer(): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(request);
      const path = new URL(request.url, 'http://x').pathname;
      const status = /^\/status\/(\d+)$/.exec(path)?.[1];
      if (path.startsWith('/echo')) return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-served-by': 'test' }).end(JSON.stringify(request));
      if (path === '/text') return res.writeHead(200, { 'content-type': 'text/plain' }).end('hello there');
      if (status) return res.writeHead(Number(status), status === '503' ? { 'retry-after': '3', 'content-type': 'application/json' } : { 'content-type': 'application/json' }).end(JSON.stringify({ error: `status ${status}` }));
      if (path === '/redirect') return res.writeHead(302, { location: '/echo/redirected' }).end();
      if (path === '/empty') return res.writeHead(204).end();
      if (path === '/bytes') return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2, 255]));
      if (path === '/big') return res.writeHead(200, { 'content-type': 'text/plain' }).end('y'.repeat(65_536));
      if (path === '/bad-json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{nope');
      return res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A task context for calling a handler directly. */
export function contextFor(task: Record<string, unknown>, signal: AbortSignal = new AbortController().signal): TaskContext {
  return { task, taskId: '/do/0/call', taskName: 'call', executionId: 'ex', workflowId: 'wf', tenantId: 't', attempt: 1, deadlineMs: 0, signal, correlationId: '', idempotencyKey: 'ex//do/0/call@2' };
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
