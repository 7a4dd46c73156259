import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createExecutorClient } from '@flunq/executor-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from './http-server.js';

const appDir = new URL('../', import.meta.url).pathname;

/** Starts the real app (`node --import tsx src/main.ts`) on free ports; resolves with its URLs from the "listening" log line. */
async function startApp(): Promise<{ child: ChildProcessWithoutNullStreams; rpcUrl: string; opsUrl: string; lines: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@flunq/source', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, FLUNQ_EXECUTOR_PORT: '0', FLUNQ_EXECUTOR_METRICS_PORT: '0', LOG_LEVEL: 'info', FLUNQ_TASK_OUTPUT_LIMIT: '1MiB' },
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const listening = new Promise<{ rpcUrl: string; opsUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry['msg'] === 'executor listening') resolve(entry as { rpcUrl: string; opsUrl: string });
    });
    child.once('exit', (code) => reject(new Error(`executor exited with ${code} before listening: ${stderr}`)));
  });
  return { child, lines, ...(await listening) };
}

describe('the executor app as a process', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let target: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    [app, target] = await Promise.all([startApp(), startTestServer()]);
  });
  afterAll(async () => {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
    await target.close();
  });

  test('runs call.http through the client, counts it in /metrics, and stops cleanly on SIGTERM', async () => {
    const client = createExecutorClient(app.rpcUrl);
    const outcome = await client.execute({
      tenantId: 'acme',
      workflowId: 'pets',
      executionId: 'ex-42',
      taskId: '/do/0/getPet',
      taskName: 'getPet',
      taskType: 'call.http',
      task: { call: 'http', with: { method: 'get', endpoint: `${target.url}/echo/pets/{petId}` } },
      input: { petId: 3 },
      deadlineMs: Date.now() + 10_000,
    });
    expect(outcome).toMatchObject({ ok: true, output: { method: 'GET', url: '/echo/pets/3' } });
    expect(await client.describe()).toMatchObject({ functions: ['echo', 'fail', 'sleep'], taskTypes: ['call.http', 'call.function'], version: '0.1.0' });
    client.close();

    const metrics = await (await fetch(`${app.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^flunq_tasks_total\{task_type="call\.http",outcome="success",service="executor"\} 1$/m);
    expect((await fetch(`${app.opsUrl}/readyz`)).status).toBe(200);
    expect(app.lines.find((l) => l['msg'] === 'task completed')).toMatchObject({ executionId: 'ex-42', taskId: '/do/0/getPet', tenantId: 'acme', workflowId: 'pets' });

    app.child.kill('SIGTERM');
    const [code] = (await once(app.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(app.lines.map((l) => l['msg'])).toContain('executor stopped');
  });
});
