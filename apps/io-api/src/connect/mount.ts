import { fastifyConnectPlugin } from '@connectrpc/connect-fastify';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../context.js';
import { authInterceptor } from './auth.js';
import { ioApiRoutes } from './io-api-routes.js';

/** Largest request message taken (requests are ids, cursors and filters). */
export const RPC_READ_MAX_BYTES = 64 * 1024;

/**
 * Serves `IoApiService` on the REST app's server, at `/flunq.v1.IoApiService/<Method>`
 * (Connect and gRPC-Web over HTTP/1.1; gRPC needs HTTP/2 and is not served). The plugin is
 * encapsulated: its scope has only Connect's (no-op) body parsers, which do not reach the REST routes, and the REST auth hook
 * (paths under `/api/`) does not touch these; the interceptor does auth here. Closing the app
 * ends open WatchEvents streams.
 */
export async function mountIoApiService(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const shutdown = new AbortController();
  app.addHook('preClose', async () => shutdown.abort());
  await app.register(async (scope) => {
    // The app's own JSON parser would clash with the plugin's; Connect reads bodies itself.
    scope.removeAllContentTypeParsers();
    await scope.register(fastifyConnectPlugin, {
      routes: ioApiRoutes(deps, shutdown.signal),
      interceptors: [authInterceptor(deps.apiKeys)],
      readMaxBytes: RPC_READ_MAX_BYTES,
    });
  });
}
