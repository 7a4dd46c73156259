import { createServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';

/** Options of {@link serveExecutor}. */
export interface ServeExecutorOptions {
  /** From `createExecutorRoutes`. */
  readonly routes: (router: ConnectRouter) => void;
  /** Interface to bind, e.g. `127.0.0.1` or `0.0.0.0`. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** How long `close()` lets in-flight calls finish before cutting connections. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
}

/** A running executor server. */
export interface ExecutorServer {
  /** Base URL for `createExecutorClient`, e.g. `http://127.0.0.1:50051`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting calls, lets in-flight ones finish (up to the shutdown timeout), then closes. */
  close(): Promise<void>;
}

/**
 * Serves executor routes over cleartext HTTP/2 (h2c): gRPC, gRPC-Web and Connect.
 * Resolves once listening.
 */
export function serveExecutor(options: ServeExecutorOptions): Promise<ExecutorServer> {
  const server = createServer(connectNodeAdapter({ routes: options.routes }));
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const close = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const force = setTimeout(() => sessions.forEach((s) => s.destroy()), options.shutdownTimeoutMs ?? 10_000);
      force.unref();
      server.close((error) => {
        clearTimeout(force);
        if (error) reject(error);
        else resolve();
      });
      // A graceful GOAWAY: open streams finish, no new ones start.
      sessions.forEach((s) => s.close());
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({ url: `http://${host}:${port}`, port, close });
    });
  });
}
