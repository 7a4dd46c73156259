/**
 * Throughput of runtime expressions: our compiler (cache on / compile every time) vs jq-wasm.
 * Run: npx tsx --conditions=@flunq/source libs/dsl/bench/expressions.bench.ts
 */
import { loadJq } from 'jq-wasm';
import { clearExpressionCache, compileCached, compileExpression } from '../src/expressions/index.js';

const objectInput = {
  a: { b: 'value-of-b', c: 42, d: [1, 2, 3] },
  b: Array.from({ length: 8 }, (_, i) => ({ id: i, name: `item-${i}`, ok: i % 2 === 0 })),
  meta: { id: 'wf-123', version: '1.0.0', tags: ['x', 'y'] },
  padding: 'p'.repeat(600),
};
const arrayInput = Array.from({ length: 32 }, (_, i) => ({ n: i % 4, name: `n${i}`, tag: i % 3 ? 'a' : 'b' }));
const cases: [string, unknown][] = [
  ['.a.b', objectInput],
  ['{x: .a, y: (.b | length)}', objectInput],
  ['map(select(.n > 1))', arrayInput],
  ['{x: .a.b, y: $input.meta.id, z: $context.k}', objectInput],
];
const vars = { input: objectInput, context: { k: 'v' } };
const flags = ['--argjson', 'input', JSON.stringify(objectInput), '--argjson', 'context', JSON.stringify(vars.context)];

function rate(f: () => void, ms: number): number {
  for (let i = 0; i < 2000; i++) f();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) { for (let i = 0; i < 50; i++) f(); n += 50; }
    runs.push((n * 1000) / (performance.now() - start));
  }
  return runs.sort((x, y) => x - y)[1] ?? 0;
}

const jq = await loadJq();
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
console.log(`(all expressions are evaluated with $input and $context bound)`);
console.log(`input sizes: ${JSON.stringify(objectInput).length} B, ${JSON.stringify(arrayInput).length} B; evaluations/s, median of 3 runs`);
console.log(`${'expression'.padEnd(46)} ${'cache on'.padStart(12)} ${'cache off'.padStart(12)} ${'jq-wasm'.padStart(12)}`);
for (const [text, input] of cases) {
  clearExpressionCache();
  const cached = rate(() => { compileCached(text).evaluate(input, vars); }, 1000);
  const uncached = rate(() => { compileExpression(text).evaluate(input, vars); }, 1000);
  const json = JSON.stringify(input);
  const wasm = rate(() => { jq.json(json, text, flags); }, 500);
  console.log(`${text.padEnd(46)} ${fmt(cached)} ${fmt(uncached)} ${fmt(wasm)}`);
}
