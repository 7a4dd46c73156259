import fc from 'fast-check';
import { loadJq } from 'jq-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExpression } from './index.js';

let jq: Awaited<ReturnType<typeof loadJq>>;
beforeAll(async () => { jq = await loadJq(); });

// jq prints an overflowing number as ±1.7976931348623157e+308 where JSON.stringify gives null
const normalise = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === Infinity ? Number.MAX_VALUE : x === -Infinity ? -Number.MAX_VALUE : x))) as unknown;

function outcome(f: () => unknown[]): unknown {
  try {
    return { outputs: normalise(f()) };
  } catch {
    return 'error';
  }
}

describe('random JSON inputs agree with jq 1.8.2', () => {
  it.each(['.', '.[]?', 'keys?', 'length', 'tojson | fromjson', '[.. | numbers] | add', 'try (to_entries | map(.key)) catch "x"'])('%s', (expr) => {
    const compiled = compileExpression(expr);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (input) => {
        const text = JSON.stringify(input);
        const value = JSON.parse(text) as unknown;
        expect(outcome(() => compiled.evaluate(value))).toEqual(outcome(() => jq.json(text, expr)));
      }),
      { numRuns: 100, seed: 20261125 },
    );
  });
});
