import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const id = randomUUID().slice(0, 8);
const env = { ...process.env, REDIS_URL: inject('redisUrl'), FLUNQ_KEY_PREFIX: `cli-${id}:`, FLUNQ_QUEUE_PREFIX: `{cli-${id}}` };

/** Runs `npm run flunq -- ...` as a user would (without npm's banner): exit code, parsed stdout, stderr. */
function flunq(...args: string[]): { status: number | null; json: any; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@flunq/source', 'tools/cli/src/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });
  let json: unknown;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    json = run.stdout;
  }
  return { status: run.status, json, stderr: run.stderr };
}

describe('the flunq CLI on a real Redis', () => {
  test('register, start, show, events, cancel', () => {
    expect(flunq('register', 'examples/hello.yaml')).toMatchObject({ status: 0, json: { outcome: 'created', workflowId: 'hello', version: '1.0.0' } });
    expect(flunq('register', 'examples/hello.yaml').json).toMatchObject({ outcome: 'unchanged' });

    const started = flunq('start', 'hello', '--input', '{"name":"Ada","user_id":"u-1"}', '--correlation-id', 'c-1');
    expect(started).toMatchObject({ status: 0, json: { workflowId: 'hello', version: '1.0.0', status: 'running' } });
    const executionId = started.json.executionId as string;
    // No worker runs here: the execution waits at its first step.
    expect(flunq('show', executionId).json).toMatchObject({ id: executionId, status: 'RUNNING', input: { name: 'Ada', user_id: 'u-1' }, correlation_id: 'c-1', completed_tasks: [] });
    expect(flunq('events', executionId).json).toMatchObject([{ event_type: 'io.flunq.execution.started', sequence: 1, data: { input: { name: 'Ada', user_id: 'u-1' } } }]);
    expect(flunq('show', executionId, '--at', '1').json).toMatchObject({ id: executionId, status: 'RUNNING', input: { name: 'Ada', user_id: 'u-1' }, version: 1 });
    expect(flunq('show', executionId, '--at', '7').stderr).toMatch(/INVALID_ARGUMENT.*7 is not in 1\.\.1/);
    expect(flunq('replay', executionId, '--input', '{"name":"Bo"}').json).toMatchObject({ replayOf: executionId, workflowId: 'hello', status: 'running' });
    expect(flunq('cancel', executionId, '--reason', 'changed my mind').json).toEqual({ id: executionId, status: 'cancelled' });
    expect(flunq('reindex', 'default').json).toEqual({ tenant: 'default', indexed: 2 });
    expect(flunq('show', executionId).json).toMatchObject({ status: 'CANCELLED' });
    expect(flunq('events', executionId).json.at(-1)).toMatchObject({ event_type: 'io.flunq.execution.cancelled', data: { reason: 'changed my mind' } });
  }, 90_000);

  test('maintenance jobs are queued for the workers and their runs listed; archive commands answer clearly for what is not archived', () => {
    const queued = flunq('jobs', 'run', 'migration', '--dry-run');
    expect(queued).toMatchObject({ status: 0, json: { id: expect.any(String), name: 'migration' } });
    // no worker runs here: the run waits in the queue
    expect(flunq('jobs', 'show', queued.json.id).json).toMatchObject({ id: queued.json.id, name: 'migration', state: 'waiting', requestedBy: 'operator', dryRun: true });
    expect(flunq('jobs', 'status').json.runs).toEqual(expect.arrayContaining([expect.objectContaining({ id: queued.json.id })]));
    expect(flunq('jobs', 'run', 'retention', '--dry-run')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--dry-run is for the migration job/) });
    expect(flunq('jobs', 'run', 'vacuum')).toMatchObject({ status: 2, stderr: expect.stringMatching(/jobs run wants one of retention, reindex, compression, migration/) });
    expect(flunq('jobs', 'show', 'no-such-job')).toMatchObject({ status: 2, stderr: expect.stringMatching(/no maintenance job no-such-job/) });
    expect(flunq('archived', 'never-archived')).toMatchObject({ status: 2, stderr: expect.stringMatching(/execution never-archived has no archive/) });
    expect(flunq('restore', 'never-archived', '--ttl', 'soon')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--ttl wants a duration/) });
  }, 90_000);

  test('bad input gets a clear, typed error and a non-zero exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flunq-cli-'));
    writeFileSync(join(dir, 'bad.yaml'), "document: { dsl: '1.0.0', namespace: t, name: bad, version: '1.0.0' }\ndo:\n  - a: { teleport: {} }\n");
    const bad = flunq('register', join(dir, 'bad.yaml'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error \(INVALID_DEFINITION\): invalid workflow definition: \/do\/0\/a/);
    expect(flunq('start', 'bad').stderr).toMatch(/DEFINITION_NOT_FOUND.*workflow bad of tenant default is not registered/);
    const notJson = flunq('start', 'hello', '--input', '{name');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/the input is not JSON/);
    expect(flunq('show', 'no-such-execution')).toMatchObject({ status: 2, stderr: expect.stringMatching(/execution no-such-execution does not exist/) });
    expect(flunq('frobnicate', 'x').stderr).toMatch(/unknown command frobnicate/);
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ blob: 'x'.repeat(11 * 1024 * 1024) }));
    expect(flunq('start', 'hello', '--input-file', join(dir, 'big.json')).stderr).toMatch(/^error \(PAYLOAD_TOO_LARGE\): input is 11 MiB .* over MAX_WORKFLOW_INPUT_SIZE/);
  }, 90_000);
});
