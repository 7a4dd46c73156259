/**
 * docker-compose.yml and the Dockerfile, checked offline (this project's machines have a
 * Docker client but no engine): dclint validates against the compose-spec schema and its
 * best-practice rules; compose-rules.ts checks what a schema cannot see. Every check is
 * also run on a broken copy, to show it can fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { checkCompose, checkDockerfile, ENTRIES, entryOf, resolvedEnvironment, type ComposeFile, type Service } from './compose-rules.js';

const root = new URL('../../../', import.meta.url).pathname;
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText) as ComposeFile;
const scratch = mkdtempSync(join(tmpdir(), 'flunq-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface DclintReport {
  errorCount: number;
  warningCount: number;
  messages: { rule: string; message: string; line: number }[];
}

/** Runs dclint on `file` (JSON report); offline, it needs nothing but the schema it ships. */
function dclint(file: string): { status: number | null; report: DclintReport } {
  const run = spawnSync(join(root, 'node_modules/.bin/dclint'), [file, '-f', 'json', '--color', 'false'], { cwd: root, encoding: 'utf8' });
  const [report] = JSON.parse(run.stdout || '[]') as DclintReport[];
  expect(report, run.stderr).toBeDefined();
  return { status: run.status, report: report as DclintReport };
}

/** Runs a service's `loadConfig(env)` in its own process with exactly `env`, as the container would. */
function loadConfig(loader: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const code = `const { loadConfig } = await import(${JSON.stringify(pathToFileURL(resolve(root, loader)).href)}); loadConfig(process.env);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@flunq/source', '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return { status: run.status, stderr: run.stderr };
}

const broken = (change: (doc: ComposeFile & { services: Record<string, Service> }) => void): ComposeFile => {
  const copy = structuredClone(compose) as ComposeFile & { services: Record<string, Service> };
  change(copy);
  return copy;
};
const of = (doc: ComposeFile, name: string): Service => {
  const service = doc.services?.[name];
  if (!service) throw new Error(`no service ${name} in the copy`);
  return service;
};
const env = (service: Service): Record<string, string | number | boolean | null> => service?.environment as Record<string, string>;

describe('docker-compose.yml against the compose-spec schema (dclint)', () => {
  test('has no errors and no warnings', () => {
    const { status, report } = dclint('docker-compose.yml');
    expect(report.messages).toEqual([]);
    expect(report.errorCount).toBe(0);
    expect(status).toBe(0);
  });

  test('fails on a key the schema does not know', () => {
    const file = join(scratch, 'docker-compose.yml');
    writeFileSync(file, composeText.replace('    restart: unless-stopped\n', '    restart_policy: unless-stopped\n'));
    const { status, report } = dclint(file);
    expect(report.errorCount).toBeGreaterThan(0);
    expect(report.messages.map((m) => m.rule)).toContain('invalid-schema');
    expect(status).not.toBe(0);
  });
});

describe('docker-compose.yml references, paths and settings', () => {
  test('the shipped file passes every rule', () => {
    expect(checkCompose(compose, root)).toEqual([]);
  });

  test('the worker runs twice, the CLI is a tools-profile one-off', () => {
    expect(compose.services?.['worker']?.deploy?.replicas).toBe(2);
    expect(compose.services?.['cli']?.profiles).toEqual(['tools']);
    expect(entryOf(compose.services?.['cli'] ?? {})).toBe('tools/cli/src/main.ts');
  });

  test.each<[string, (doc: ComposeFile & { services: Record<string, Service> }) => void, RegExp]>([
    ['a depends_on target that is not a service', (d) => void (of(d, 'worker').depends_on = { executer: { condition: 'service_started' } }), /depends_on "executer"/],
    ['waiting for health of a service without healthcheck', (d) => void delete of(d, 'redis').healthcheck, /to be healthy, but it has no healthcheck/],
    ['a missing required service', (d) => void delete d.services['executor'], /service "executor" is missing/],
    ['a build context that does not exist', (d) => void (of(d, 'cli').build = { context: './no-such-dir' }), /build context ".\/no-such-dir"/],
    ['a Dockerfile that does not exist', (d) => void (of(d, 'worker').build = { context: '.', dockerfile: 'Dockerfile.prod' }), /Dockerfile "Dockerfile.prod" not found/],
    ['a bind mount of a missing path', (d) => void (of(d, 'cli').volumes = ['./no-such-dir:/app/x:ro']), /bind mount source/],
    ['a named volume not declared', (d) => void delete d.volumes, /volume "redis-data" is not declared/],
    ['a setting the app never reads', (d) => void (env(of(d, 'worker'))['FLUNQ_WORKER_THREADS'] = '4'), /worker: sets FLUNQ_WORKER_THREADS/],
    ["a setting only another app reads", (d) => void (env(of(d, 'executor'))['REDIS_URL'] = 'redis://redis:6379'), /executor: sets REDIS_URL/],
    ['a MAX_* limit the app never reads', (d) => void (env(of(d, 'executor'))['MAX_PAYLOAD_SIZE'] = '1MiB'), /executor: sets MAX_PAYLOAD_SIZE/],
    ['a server left on 127.0.0.1', (d) => void delete env(of(d, 'executor'))['FLUNQ_EXECUTOR_HOST'], /FLUNQ_EXECUTOR_HOST must be 0.0.0.0/],
    ['a URL to an unknown host', (d) => void (env(of(d, 'worker'))['FLUNQ_EXECUTOR_URL'] = 'http://executer:50051'), /"executer", which is not a service/],
    ['a URL to the wrong port', (d) => void (env(of(d, 'worker'))['FLUNQ_EXECUTOR_URL'] = 'http://executor:50052'), /uses port 50052/],
    ['a host port published twice', (d) => void (of(d, 'redis').ports = ['127.0.0.1:9465:6379']), /host port 9465 is already published/],
    ['the worker not replicated', (d) => void delete of(d, 'worker').deploy, /worker: deploy.replicas is 1, expected 2/],
    ['a replicated service publishing a fixed host port', (d) => void (of(d, 'worker').ports = ['127.0.0.1:9464:9464']), /2 replicas cannot all publish host port 9464/],
    ['a healthcheck on the wrong port', (d) => void (of(d, 'worker').healthcheck = { test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:9465/healthz')"] }), /probes port 9465/],
    ['a long-running service without healthcheck', (d) => void delete of(d, 'executor').healthcheck, /executor: needs a healthcheck/],
    ['the CLI and the worker on different key prefixes', (d) => void (env(of(d, 'cli'))['FLUNQ_KEY_PREFIX'] = 'other:'), /disagree on FLUNQ_KEY_PREFIX/],
    ['an entry file that does not exist', (d) => void (of(d, 'worker').command = ['apps/worker/src/mian.ts']), /entry file apps\/worker\/src\/mian.ts does not exist/],
    ['the CLI outside the tools profile', (d) => void delete of(d, 'cli').profiles, /cli: must be in profile "tools"/],
  ])('fails on %s', (_, change, problem) => {
    const problems = checkCompose(broken(change), root);
    expect(problems.some((p) => problem.test(p)), problems.join('\n')).toBe(true);
  });
});

describe("each service's settings, with the shipped defaults, are accepted by its loadConfig", () => {
  const loaded = Object.entries(compose.services ?? {}).flatMap(([name, service]) => {
    const loader = ENTRIES[entryOf(service) ?? '']?.loader;
    return loader ? [[name, loader, service] as const] : [];
  });

  test('the worker and the executor have a loader', () => {
    expect(loaded.map(([name]) => name).sort()).toEqual(['executor', 'worker']);
  });

  test.each(loaded)('%s', (_, loader, service) => {
    const { status, stderr } = loadConfig(loader, resolvedEnvironment(service));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  test('fails on a value the app rejects', () => {
    const { status, stderr } = loadConfig('apps/executor/src/config.ts', { ...resolvedEnvironment(compose.services?.['executor'] ?? {}), FLUNQ_EXECUTOR_PORT: 'http' });
    expect(stderr).toMatch(/FLUNQ_EXECUTOR_PORT="http"/);
    expect(status).not.toBe(0);
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');

  test('pass every rule', () => {
    expect(checkDockerfile(dockerfile, dockerignore)).toEqual([]);
  });

  test.each<[string, string, string, RegExp]>([
    ['another base image', dockerfile.replace('ARG NODE_IMAGE=node:20-bookworm-slim', 'ARG NODE_IMAGE=node:22-alpine'), dockerignore, /node:20-bookworm-slim/],
    ['no C++ compiler for zstd-napi', dockerfile.replace(' g++ ', ' '), dockerignore, /install g\+\+/],
    ['no lockfile for npm ci', dockerfile.replace('COPY package-lock.json ./\n', ''), dockerignore, /package-lock\.json/],
    ['only the root node_modules in the runtime stage', dockerfile.replace('COPY --from=deps /app ./', 'COPY --from=deps /app/node_modules ./node_modules'), dockerignore, /all of \/app/],
    ['npm install instead of npm ci', dockerfile.replace('RUN npm ci', 'RUN npm install'), dockerignore, /npm ci/],
    ['an entrypoint without the source condition', dockerfile.replace(', "--conditions=@flunq/source"', ''), dockerignore, /entrypoint/],
    ["the host's node_modules sent to the build", dockerfile, dockerignore.replace('**/node_modules\n', ''), /exclude \*\*\/node_modules/],
  ])('fail on %s', (_, file, ignore, problem) => {
    const problems = checkDockerfile(file, ignore);
    expect(problems.some((p) => problem.test(p)), problems.join('\n')).toBe(true);
  });
});
