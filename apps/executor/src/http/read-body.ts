import { ExecutorFailure } from '@flunq/executor-kit';
import { formatBytes } from '@flunq/serializer';

/**
 * Reads a response body, failing the task (413, not retryable) as soon as it passes
 * `maxBytes` rather than buffering all of it. A network error mid-body is a retryable
 * `communication` failure; an abort passes the signal's reason on.
 */
export async function readBody(response: Response, maxBytes: number, what: string, signal: AbortSignal): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > maxBytes) {
        throw new ExecutorFailure({ type: 'runtime', status: 413, title: 'HTTP response too large', detail: `${what} sent more than ${formatBytes(maxBytes)} (${maxBytes} bytes)` });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ExecutorFailure) throw error;
    if (signal.aborted) throw signal.reason;
    throw new ExecutorFailure({ type: 'communication', title: 'HTTP response interrupted', detail: `${what}: ${(error as Error).message}`, retryable: true }, { cause: error });
  }
  return Buffer.concat(chunks);
}
