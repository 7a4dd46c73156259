import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of {@link startOpsServer}. */
export interface OpsServerOptions {
  /** Interface to bind, e.g. `127.0.0.1` or `0.0.0.0`. */
  readonly host: string;
  /** Port to bind; 0 picks a free one (see the resolved `port`). */
  readonly port: number;
  /** What `/metrics` serves: anything with a prom-client `registry`. */
  readonly metrics: { readonly registry: Registry };
  /** Readiness probe for `/readyz`; a throw or rejection counts as not ready. Default: always ready. */
  readonly ready?: () => boolean | Promise<boolean>;
}

/** A running ops server. */
export interface OpsServer {
  /** Base URL, e.g. `http://127.0.0.1:9465`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

async function isReady(ready: OpsServerOptions['ready']): Promise<boolean> {
  try {
    return ready ? await ready() : true;
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

async function handle(options: OpsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://ops').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  switch (path) {
    case '/metrics':
      return send(res, 200, await options.metrics.registry.metrics(), options.metrics.registry.contentType);
    case '/healthz':
      return send(res, 200, 'ok\n');
    case '/readyz':
      return (await isReady(options.ready)) ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n');
    default:
      return send(res, 404, 'not found: try /metrics, /healthz or /readyz\n');
  }
}

/**
 * Serves the operations endpoints of a service over plain HTTP/1.1: `GET /metrics`
 * (Prometheus text format), `GET /healthz` (200 while the process runs) and `GET /readyz`
 * (200 when `ready()` says so, else 503). Resolves once listening.
 */
export function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => send(res, 500, `ops endpoint failed: ${String(error)}\n`));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
