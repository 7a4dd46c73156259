import { writeFileSync, mkdirSync } from 'node:fs';
import { runBytesStored } from './bytes-stored.js';
import { runCodecSpeed } from './codec-speed.js';
import { runColdCompression } from './cold-compression.js';
import { runEngineThroughput } from './engine-throughput.js';
import { runRetention } from './retention.js';
import { runSearch } from './search.js';
import { runStepThroughput } from './step-throughput.js';
import { runTimeTravel } from './time-travel.js';

const suites: Record<string, () => Promise<string[]> | string[]> = {
  bytes: runBytesStored,
  codec: runCodecSpeed,
  steps: () => runStepThroughput(),
  engine: () => runEngineThroughput(),
  timetravel: () => runTimeTravel(),
  search: () => runSearch(),
  retention: () => runRetention(),
  compression: () => runColdCompression(),
};

/** Runs the named benchmark suites (default: all), printing markdown tables with baselines beside results. */
async function main(names: string[]): Promise<void> {
  const chosen = names.length ? names : Object.keys(suites);
  const out: string[] = [`<!-- ${new Date().toISOString()} node ${process.version} -->`];
  for (const name of chosen) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown suite ${name}; known: ${Object.keys(suites).join(', ')}`);
    console.log(`\n## ${name}\n`);
    const rows = await suite();
    console.log(rows.join('\n'));
    out.push(`## ${name}`, '', ...rows, '');
  }
  mkdirSync('tmp', { recursive: true });
  writeFileSync('tmp/bench-latest.md', out.join('\n'));
}

await main(process.argv.slice(2));
