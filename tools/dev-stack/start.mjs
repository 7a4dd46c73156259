#!/usr/bin/env node
// `npm start`: the local stack without Docker. Uses the Redis at REDIS_URL (default
// redis://127.0.0.1:6379) or starts one, then starts every app that has a "start" script,
// prefixing their output. Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const children = [];

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
  });
}

function run(name, command, args, env = {}) {
  // Its own process group, so stopping it also stops what it started (npm -> tsx -> node).
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = (chunk) => chunk.toString().split('\n').filter(Boolean).forEach((line) => console.log(`[${name}] ${line}`));
  child.stdout.on('data', prefix);
  child.stderr.on('data', prefix);
  child.on('exit', (code) => console.log(`[${name}] exited with code ${code}`));
  children.push(child);
  return child;
}

const host = redisUrl.hostname || '127.0.0.1';
const port = redisUrl.port || '6379';
if (await reachable(host, port)) {
  console.log(`[stack] using Redis at ${redisUrl.href}`);
} else {
  mkdirSync('.flunq/redis', { recursive: true });
  console.log(`[stack] starting redis-server on ${host}:${port} (data in .flunq/redis)`);
  run('redis', 'redis-server', ['--port', port, '--bind', host, '--dir', '.flunq/redis', '--appendonly', 'yes']);
}

const apps = readdirSync('apps').filter((name) => {
  const manifest = `apps/${name}/package.json`;
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.start;
});
// Every service of a deployment shares the secrets key (redacted values are sealed with it):
// FLUNQ_SECRETS_KEY, or one kept in .flunq/secrets.key for this checkout.
let secretsKey = process.env.FLUNQ_SECRETS_KEY;
if (!secretsKey) {
  mkdirSync('.flunq', { recursive: true });
  if (!existsSync('.flunq/secrets.key')) writeFileSync('.flunq/secrets.key', randomBytes(32).toString('base64'), { mode: 0o600 });
  secretsKey = readFileSync('.flunq/secrets.key', 'utf8').trim();
  console.log('[stack] secrets key from .flunq/secrets.key (export FLUNQ_SECRETS_KEY=$(cat .flunq/secrets.key) for npm run flunq)');
}
// io-api needs API keys: FLUNQ_API_KEYS, or a key for the tenant `default` kept in .flunq/api-key.
let apiKeys = process.env.FLUNQ_API_KEYS;
if (!apiKeys) {
  mkdirSync('.flunq', { recursive: true });
  if (!existsSync('.flunq/api-key')) writeFileSync('.flunq/api-key', randomBytes(24).toString('base64url'), { mode: 0o600 });
  const key = readFileSync('.flunq/api-key', 'utf8').trim();
  apiKeys = `${key}=default`;
  console.log(`[stack] io-api key for tenant "default" in .flunq/api-key: curl -H "Authorization: Bearer $(cat .flunq/api-key)" http://127.0.0.1:8080/api/v1/default/executions`);
}
for (const app of apps) run(app, 'npm', ['run', 'start', '--workspace', `apps/${app}`], { REDIS_URL: redisUrl.href, FLUNQ_SECRETS_KEY: secretsKey, FLUNQ_API_KEYS: apiKeys });
console.log(apps.length ? `[stack] started: ${apps.join(', ')}; try: npm run flunq -- register examples/hello.yaml` : '[stack] no service has a start script yet; Redis is up for the store.');

const stop = () => {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(0), 500);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (children.length === 0) process.exit(0);
