import { readFileSync } from 'node:fs';
import { createExecutorRoutes, serveExecutor } from '@flunq/executor-kit';
import { createServiceMetrics, startOpsServer, type Logger } from '@flunq/observability';
import type { ExecutorConfig } from './config.js';
import { BUILTIN_FUNCTIONS } from './functions/builtin-functions.js';
import { createHttpCall } from './http/http-call.js';

/** The running executor: its RPC and ops URLs, and a graceful stop. */
export interface RunningExecutor {
  readonly rpcUrl: string;
  readonly opsUrl: string;
  /** Stops taking calls, lets in-flight ones finish, then closes the ops server. */
  close(): Promise<void>;
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** Starts the ExecutorService (built-in `call.http` and functions) and the ops server. */
export async function startExecutor(config: ExecutorConfig, logger: Logger): Promise<RunningExecutor> {
  const metrics = createServiceMetrics('executor');
  const routes = createExecutorRoutes({
    version: packageVersion(),
    functions: BUILTIN_FUNCTIONS,
    http: createHttpCall({ maxResponseBytes: config.outputLimitBytes }),
    outputLimitBytes: config.outputLimitBytes,
    logger,
    metrics,
  });
  let accepting = false;
  const rpc = await serveExecutor({ routes, host: config.host, port: config.port });
  const ops = await startOpsServer({ host: config.host, port: config.metricsPort, metrics, ready: () => accepting }).catch(async (error: unknown) => {
    await rpc.close();
    throw error;
  });
  accepting = true;
  return {
    rpcUrl: rpc.url,
    opsUrl: ops.url,
    close: async () => {
      accepting = false;
      await rpc.close();
      await ops.close();
    },
  };
}
