import { afterEach, describe, expect, test } from 'vitest';
import { createServiceMetrics, parseUsedMemory, startOpsServer, watchRedisMemory, type OpsServer } from '../src/index.js';

/** The value of the sample `name` whose labels include `labels` (any order), from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const INFO = [
  '# Memory',
  'used_memory:1048576',
  'used_memory_human:1.00M',
  'used_memory_rss:9437184',
  'used_memory_peak:2097152',
  '',
].join('\r\n');

describe('parseUsedMemory', () => {
  test('reads used_memory, not the other used_memory_* fields', () => {
    expect(parseUsedMemory(INFO)).toBe(1_048_576);
    expect(parseUsedMemory('used_memory_rss:5\r\nused_memory:7\r\n')).toBe(7);
  });

  test('is undefined when the field is missing or not a number', () => {
    expect(parseUsedMemory('# Memory\r\nused_memory_rss:5\r\n')).toBeUndefined();
    expect(parseUsedMemory('used_memory:lots\r\n')).toBeUndefined();
    expect(parseUsedMemory('')).toBeUndefined();
  });
});

describe('watchRedisMemory', () => {
  test('sets the gauge from INFO and counts unreadable samples as I/O failures', async () => {
    const metrics = createServiceMetrics('test');
    const answers = [INFO, 'garbage'];
    const stop = watchRedisMemory(metrics, async () => answers.shift() ?? Promise.reject(new Error('redis down')), 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    expect((await metrics.redisUsedMemoryBytes.get()).values[0]?.value).toBe(1_048_576);
    const failures = (await metrics.ioFailuresTotal.get()).values.find((v) => v.labels['operation'] === 'redis_info');
    expect(failures?.value).toBeGreaterThanOrEqual(2);
  });

  test('refuses a non-positive interval', () => {
    expect(() => watchRedisMemory(createServiceMetrics('test'), async () => INFO, 0)).toThrow(RangeError);
  });
});

describe('startOpsServer', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('serves flunq metrics with their labels over HTTP after observations', async () => {
    const metrics = createServiceMetrics('executor');
    metrics.tasksTotal.inc({ task_type: 'call.http', outcome: 'success' });
    metrics.taskDuration.observe({ task_type: 'call.http', outcome: 'success' }, 0.2);
    metrics.payloadBytes.observe({ direction: 'output' }, 5 * 1024 * 1024);
    metrics.serializationSeconds.observe({ operation: 'encode' }, 0.001);
    metrics.ioFailuresTotal.inc({ operation: 'redis_xadd' });
    metrics.redisUsedMemoryBytes.set(42);
    server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics });

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const service = 'executor';
    expect(sample(text, 'flunq_tasks_total', { task_type: 'call.http', outcome: 'success', service })).toBe(1);
    expect(sample(text, 'flunq_task_duration_seconds_bucket', { le: '0.1', task_type: 'call.http', outcome: 'success' })).toBe(0);
    expect(sample(text, 'flunq_task_duration_seconds_bucket', { le: '0.25', task_type: 'call.http', outcome: 'success' })).toBe(1);
    expect(sample(text, 'flunq_payload_bytes_bucket', { le: '4194304', direction: 'output', service })).toBe(0);
    expect(sample(text, 'flunq_payload_bytes_bucket', { le: '16777216', direction: 'output', service })).toBe(1);
    expect(sample(text, 'flunq_serialization_seconds_count', { operation: 'encode', service })).toBe(1);
    expect(sample(text, 'flunq_io_failures_total', { operation: 'redis_xadd', service })).toBe(1);
    expect(sample(text, 'flunq_redis_used_memory_bytes', { service })).toBe(42);
    expect(text).toMatch(/^flunq_process_cpu_user_seconds_total\{service="executor"\} /m);
  });

  test('answers healthz, readyz by the probe (a throwing probe is not ready), 404 and 405', async () => {
    let ready: boolean | Error = false;
    server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics: createServiceMetrics('api'),
      ready: () => {
        if (ready instanceof Error) throw ready;
        return ready;
      },
    });
    expect(server.port).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    ready = new Error('redis unreachable');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  test('fails to start on a port already taken', async () => {
    server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: createServiceMetrics('a') });
    await expect(startOpsServer({ host: '127.0.0.1', port: server.port, metrics: createServiceMetrics('b') })).rejects.toThrow(/EADDRINUSE/);
  });
});
