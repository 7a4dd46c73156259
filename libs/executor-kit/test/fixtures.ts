import { createServer } from 'node:net';
import type { ExecuteTaskRequestInit, ExecutorMetrics } from '../src/index.js';

/** A task request with every id filled; override what a test is about. */
export function taskRequest(overrides: Partial<ExecuteTaskRequestInit> = {}): ExecuteTaskRequestInit {
  return {
    tenantId: 'acme',
    workflowId: 'orders',
    executionId: 'ex-1',
    taskId: '/do/0/step',
    taskName: 'step',
    taskType: 'call.function',
    functionName: 'echo',
    task: { call: 'echo' },
    input: { n: 1 },
    ...overrides,
  };
}

/** Metrics that remember what was recorded (the routes' collaborator, not the thing under test). */
export function recordingMetrics(): ExecutorMetrics & { tasks: string[]; payloads: string[] } {
  const tasks: string[] = [];
  const payloads: string[] = [];
  return {
    tasks,
    payloads,
    tasksTotal: { inc: (labels) => tasks.push(`${labels.task_type}:${labels.outcome}`) },
    taskDuration: { observe: () => undefined },
    payloadBytes: { observe: (labels, value) => payloads.push(`${labels.direction}:${value}`) },
    serializationSeconds: { observe: () => undefined },
  };
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
