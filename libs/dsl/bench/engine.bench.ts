/**
 * Decisions + reductions per second of a 10-task workflow, driven to its end in memory with
 * an instant fake executor: the engine's own cost per execution, without I/O. Beside it,
 * in the same run: the same with the expression cache off, and with real jq (jq-wasm) as
 * the evaluator; then the fold alone (time travel: rebuild the state from stored events).
 * Run: npx tsx --conditions=@flunq/source libs/dsl/bench/engine.bench.ts
 */
import { loadJq } from 'jq-wasm';
import { completeTask, decide, startExecution } from '../src/engine/decide.js';
import { INITIAL_STATE, type EngineClock, type EngineEvent } from '../src/engine/engine-types.js';
import { evaluateJq } from '../src/engine/jq-evaluate.js';
import { applyEvent, foldEvents } from '../src/engine/reducer.js';
import type { Evaluate } from '../src/engine/runtime-values.js';
import { parseDefinition } from '../src/definitions/parse-definition.js';
import { clearExpressionCache, compileExpression } from '../src/expressions/index.js';

const TEN_TASKS = `document: { dsl: '1.0.0', namespace: bench, name: ten-tasks, version: '1.0.0' }
do:
  - initialize:
      set: { message: '\${ .message }', user: '\${ .user_id }', started: true }
  - route:
      switch:
        - known: { when: '\${ .user != null }', then: continue }
        - unknown: { then: end }
  - fetchUser:
      call: http
      with: { method: get, endpoint: 'https://api.test/users/{user}' }
      output: { as: '\${ { user: .name, tier: .tier } }' }
  - score:
      set: { user: '\${ .user }', score: '\${ if .tier == "gold" then 3 else 1 end }' }
      export: { as: '\${ $context + { scored: true } }' }
  - pause:
      wait: PT1S
  - enrich:
      do:
        - tag:
            set: { user: '\${ .user }', score: '\${ .score }', tags: '\${ ["a", "b"] | map(ascii_upcase) }' }
  - notify:
      call: http
      with: { method: post, endpoint: 'https://api.test/notify', body: '\${ { to: .user } }' }
      output: { as: '\${ $input + { notified: .ok } }' }
  - audit:
      set: { user: '\${ .user }', notified: '\${ .notified }', audit: '\${ $task.name + ":" + ($context.scored | tostring) }' }
  - finalize:
      set: { result: done, user: '\${ .user }', notified: '\${ .notified }' }
`;

const definition = parseDefinition(TEN_TASKS);
const input = { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456', test_data: { nested: { value: 123, array: [1, 2, 3] } } };
/** A fixed clock, so every evaluator's run records identical events. */
const clock: EngineClock = { now: () => Date.UTC(2026, 10, 25), newId: () => 'event-id', random: () => 0.5 };
const answers: Record<string, unknown> = { '/do/2/fetchUser': { name: 'Ada', tier: 'gold' }, '/do/6/notify': { ok: true } };

/** Drives one execution to its end; returns its events and the number of decisions taken. */
function runOnce(evaluate: Evaluate): { events: EngineEvent[]; decisions: number } {
  const events: EngineEvent[] = [startExecution(definition, input, evaluate)];
  let state = applyEvent(definition, INITIAL_STATE, events[0]!);
  let decisions = 0;
  for (;;) {
    const decision = decide(definition, state, evaluate, clock);
    decisions++;
    if (decision.kind === 'none') break;
    const event = decision.kind === 'run' ? completeTask(definition, state, decision.pointer, decision.input, answers[decision.pointer], evaluate) : decision.event;
    events.push(event);
    state = applyEvent(definition, state, event);
  }
  if (state.status !== 'completed') throw new Error(`bench workflow ended ${state.status}: ${JSON.stringify(state.error)}`);
  return { events, decisions };
}

function rate(f: () => void, ms: number): number {
  for (let i = 0; i < 50; i++) f();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      f();
      n++;
    }
    runs.push((n * 1000) / (performance.now() - start));
  }
  return runs.sort((x, y) => x - y)[1] ?? 0;
}

const jq = await loadJq();
const wasmEvaluate: Evaluate = (expression, value, variables) => {
  const flags = Object.entries(variables).flatMap(([name, v]) => ['--argjson', name.slice(1), JSON.stringify(v ?? null)]);
  // jq-wasm returns every output as a list; the DSL takes the first.
  const outputs = jq.json(JSON.stringify(value ?? null), expression, flags) as unknown[];
  if (outputs.length === 0) throw new Error(`${expression}: no output`);
  return outputs[0];
};
const uncached: Evaluate = (expression, value, variables) => compileExpression(expression).evaluateOne(value, variables);

const sample = runOnce(evaluateJq);
if (sample.events.filter((e) => e.type === 'task.completed').length !== 10) throw new Error('the bench workflow must complete 10 tasks');
const steps = sample.decisions + sample.events.length;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(10);
console.log(`10-task workflow: ${sample.events.length} events (reductions), ${sample.decisions} decisions per execution; median of 3 runs`);
console.log(`${'evaluator'.padEnd(34)} ${'exec/s'.padStart(10)} ${'dec+red/s'.padStart(10)} ${'tasks/s'.padStart(10)} ${'vs jq-wasm'.padStart(10)}`);
clearExpressionCache();
for (const evaluate of [uncached, wasmEvaluate]) {
  const other = runOnce(evaluate);
  if (JSON.stringify(other.events) !== JSON.stringify(sample.events)) throw new Error(`evaluators disagree on the events of the bench workflow:\n${JSON.stringify(other.events)}\n${JSON.stringify(sample.events)}`);
}
const wasm = rate(() => runOnce(wasmEvaluate), 2000);
const rows: [string, number][] = [
  ['our jq compiler, cache on', rate(() => runOnce(evaluateJq), 1500)],
  ['our jq compiler, cache off', rate(() => runOnce(uncached), 1500)],
  ['jq-wasm (real jq 1.8.2), baseline', wasm],
];
for (const [name, perSecond] of rows) {
  console.log(`${name.padEnd(34)} ${fmt(perSecond)} ${fmt(perSecond * steps)} ${fmt(perSecond * 10)} ${(perSecond / wasm).toFixed(1).padStart(9)}x`);
}
const folds = rate(() => foldEvents(definition, sample.events, INITIAL_STATE), 1000);
console.log(`fold only (rebuild state from ${sample.events.length} stored events): ${fmt(folds)} executions/s = ${fmt(folds * sample.events.length)} reductions/s`);
