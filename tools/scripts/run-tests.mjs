#!/usr/bin/env node
// The test command (`npm test`): static checks, then every project's tests in one vitest
// run against a private redis-server (or REDIS_URL). Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: process.env.CI ? '0' : '1' };
const summaryFile = 'tmp/test-summary.txt';
const resultsFile = 'tmp/vitest-results.json';
mkdirSync('tmp', { recursive: true });

function step(title, command, args) {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status === 0;
}

const checks = [
  ['protobuf contracts lint', 'npx', ['buf', 'lint']],
  ['protobuf formatting', 'npx', ['buf', 'format', '-d', '--exit-code']],
  ['generated code is fresh', 'node', ['tools/scripts/check-proto.mjs']],
  ['project graph in sync', 'npx', ['nx', 'sync:check']],
  ['lint (module boundaries)', 'npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static']],
  ['typecheck', 'npx', ['nx', 'run-many', '-t', 'typecheck', '--outputStyle=static']],
];
const failedChecks = checks.filter(([title, command, args]) => !step(title, command, args)).map(([title]) => title);

const vitestOk = step('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`]);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = results.numPendingTests + results.numTodoTests;
}
if (!vitestOk && failed === 0) failed = 1; // vitest failed outside a test (e.g. a file that does not load)
failed += failedChecks.length; // each failed static check counts as one failed test
if (failedChecks.length) console.log(`\nfailed checks: ${failedChecks.join(', ')}`);
const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
writeFileSync(summaryFile, `${line}\n`);
console.log(`\n${line}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
