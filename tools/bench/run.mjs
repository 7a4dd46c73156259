#!/usr/bin/env node
// `npm run bench [-- bytes|codec|steps ...]`: runs the benchmarks from source (tsx), never cached.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npx', ['tsx', '--conditions=@flunq/source', 'tools/bench/src/run.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
