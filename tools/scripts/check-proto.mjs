#!/usr/bin/env node
// Fails when libs/proto-types/src/gen differs from what `buf generate` makes of proto/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const GEN = 'libs/proto-types/src/gen';
const out = mkdtempSync(join(tmpdir(), 'flunq-proto-'));
const run = spawnSync('npx', ['buf', 'generate', '--output', out], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}
const fresh = join(out, GEN);
const expected = new Map(files(fresh).map((f) => [relative(fresh, f), readFileSync(f, 'utf8')]));
const actual = new Map(files(GEN).map((f) => [relative(GEN, f), readFileSync(f, 'utf8')]));
const stale = [...new Set([...expected.keys(), ...actual.keys()])].filter((f) => expected.get(f) !== actual.get(f));
rmSync(out, { recursive: true, force: true });
if (stale.length) {
  console.error(`generated code is stale (${stale.join(', ')}): run npm run proto:generate and commit the result`);
  process.exit(1);
}
console.log(`generated code matches proto/ (${expected.size} files)`);
