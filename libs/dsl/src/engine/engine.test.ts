import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDefinition } from '../definitions/parse-definition.js';
import { workflowError, type WorkflowProblem } from '../errors/workflow-error.js';
import { completeTask, decide, failTask, startExecution } from './decide.js';
import { evaluateJq } from './jq-evaluate.js';
import { INITIAL_STATE, type EngineEvent, type ExecutionState } from './engine-types.js';
import { applyEvent, foldEvents } from './reducer.js';
import type { Evaluate } from './runtime-values.js';

// A fake expression language for these unit tests: each expression the definitions use,
// written out as a function (the real one is jq).
const EXPRESSIONS: Record<string, (input: any, vars: any) => unknown> = {
  '.': (input) => input,
  '.message': (input) => input.message,
  '.payload': (input) => input.payload,
  '.user_id': (input) => input.user_id,
  '.n > 1': (input) => input.n > 1,
  '{ greeting: .message }': (input) => ({ greeting: input.message }),
  '$context + { seen: true }': (_, vars) => ({ ...vars.$context, seen: true }),
  '{ result: .result, user: $workflow.input.user_id }': (input, vars) => ({ result: input.result, user: vars.$workflow.input.user_id }),
  '.items': (input) => input.items,
  '.total + $item': (input, vars) => (input.total ?? 0) + vars.$item,
  '$i < 2': (_, vars) => vars.$i < 2,
  '$i < 0': (_, vars) => vars.$i < 0,
  '$failure.status': (_, vars) => vars.$failure.status,
  '.boom': () => {
    throw new Error('Cannot index number with "boom"');
  },
};
const evaluate: Evaluate = (expression, input, vars) => {
  const fn = EXPRESSIONS[expression];
  if (!fn) throw new Error(`fake evaluator has no ${expression}`);
  return fn(input, vars);
};

const HEADER = "document: { dsl: '1.0.0', namespace: t, name: engine, version: '1.0.0' }\n";

type Executor = (pointer: string) => { output: unknown } | { error: WorkflowProblem };

/** Drives an execution to its end with an executor stub, returning every event recorded. */
function run(definitionText: string, input: unknown, executor: Executor = () => ({ output: { called: true } })) {
  const definition = parseDefinition(definitionText);
  const events: EngineEvent[] = [startExecution(definition, input, evaluate)];
  let state = applyEvent(definition, INITIAL_STATE, events[0]!);
  for (let guard = 0; guard < 100; guard++) {
    const decision = decide(definition, state, evaluate);
    if (decision.kind === 'none') break;
    let event: EngineEvent;
    if (decision.kind === 'record' || decision.kind === 'delay') event = decision.event;
    else {
      const result = executor(decision.pointer);
      event = 'error' in result ? failTask(definition, state, decision.pointer, result.error, evaluate) : completeTask(definition, state, decision.pointer, decision.input, result.output, evaluate);
    }
    events.push(event);
    state = applyEvent(definition, state, event);
  }
  return { definition, events, state };
}

/** Every executor call fails with a 503 communication error. */
const failing: Executor = (pointer) => ({ error: workflowError('communication', pointer, { status: 503 }).problem });

const SEED = `${HEADER}do:
  - initialize:
      set:
        message: \${ .message }
        user_id: \${ .user_id }
  - fetchUser:
      call: http
      with: { method: get, endpoint: 'http://localhost/users' }
  - pause:
      wait: { seconds: 1 }
  - finalize:
      set:
        result: workflow completed successfully
output:
  as: '\${ { result: .result, user: $workflow.input.user_id } }'
`;

describe('engine: reducer and decisions', () => {
  test("runs the seed's shape: set, call, wait, set, with workflow output.as", () => {
    const { events, state } = run(SEED, { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456', extra: 1 });
    expect(events.map((e) => (e.type === 'task.completed' ? `${e.type} ${e.pointer}` : e.type))).toEqual([
      'execution.started',
      'task.completed /do/0/initialize',
      'task.dispatched',
      'task.completed /do/1/fetchUser',
      'task.dispatched',
      'task.completed /do/2/pause',
      'task.completed /do/3/finalize',
      'execution.completed',
    ]);
    expect(events[1]).toMatchObject({ input: { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456', extra: 1 }, output: { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456' } });
    expect(events[2]).toMatchObject({ type: 'task.dispatched', input: { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456' } });
    expect(events[3]).toMatchObject({ output: { called: true } });
    expect(state).toMatchObject({ status: 'completed', output: { result: 'workflow completed successfully', user: 'test-user-456' } });
  });

  test('nested do, switch with then, input.from, output.as and export.as', () => {
    const { events, state } = run(
      `${HEADER}do:
  - route:
      switch:
        - big: { when: .n > 1, then: greet }
        - small: { then: end }
  - skipped:
      set: { never: true }
  - greet:
      input: { from: .payload }
      do:
        - hello:
            set: { message: hi }
            output: { as: '\${ { greeting: .message } }' }
            export: { as: '$context + { seen: true }' }
`,
      { n: 2, payload: { x: 1 } },
    );
    expect(events.map((e) => e.type + ('pointer' in e ? ` ${e.pointer}` : ''))).toEqual([
      'execution.started',
      'task.completed /do/0/route',
      'task.started /do/2/greet',
      'task.completed /do/2/greet/do/0/hello',
      'task.completed /do/2/greet',
      'execution.completed',
    ]);
    expect(events[2]).toMatchObject({ input: { x: 1 } });
    expect(state).toMatchObject({ status: 'completed', output: { greeting: 'hi' }, context: { seen: true } });
  });

  test('for: each iteration sees its item and index and feeds its output to the next; while stops early', () => {
    const loop = (extra: string) => `${HEADER}do:
  - sum:
      for:
        each: item
        in: .items
        at: i
${extra}      do:
        - add:
            set:
              items: \${ .items }
              total: \${ .total + $item }
`;
    const all = run(loop(''), { items: [1, 2, 3, 4] });
    expect(all.state).toMatchObject({ status: 'completed', output: { items: [1, 2, 3, 4], total: 10 }, loops: {} });
    expect(all.events.filter((e) => e.type === 'task.iterated').map((e) => ('index' in e ? e.index : -1))).toEqual([1, 2, 3]);
    const early = run(loop('      while: $i < 2\n'), { items: [1, 2, 3, 4] });
    expect(early.state.output).toEqual({ items: [1, 2, 3, 4], total: 3 });
    expect(run(loop(''), { items: [] }).state.output).toEqual({ items: [] });
    expect(run(loop('      while: $i < 0\n'), { items: [1] }).state.output).toEqual({ items: [1] });
  });

  test('with the real jq evaluator: the seed shape runs end to end and a bad expression names its task', () => {
    const definition = parseDefinition(SEED);
    let state = applyEvent(definition, INITIAL_STATE, startExecution(definition, { message: 'hi', user_id: 'u-1' }, evaluateJq));
    for (let guard = 0; guard < 20 && state.status === 'running'; guard++) {
      const decision = decide(definition, state, evaluateJq);
      if (decision.kind === 'none') break;
      const event = decision.kind === 'run' ? completeTask(definition, state, decision.pointer, decision.input, { called: true }, evaluateJq) : decision.event;
      state = applyEvent(definition, state, event);
    }
    expect(state).toMatchObject({ status: 'completed', output: { result: 'workflow completed successfully', user: 'u-1' } });
    const failing = parseDefinition(`${HEADER}do:\n  - bad:\n      set: { x: '\${ .a.b }' }\n`);
    const started = applyEvent(failing, INITIAL_STATE, startExecution(failing, { a: 5 }, evaluateJq));
    const decision = decide(failing, started, evaluateJq);
    expect(decision).toMatchObject({ kind: 'record', event: { type: 'task.failed', pointer: '/do/0/bad', input: { a: 5 }, error: { instance: '/do/0/bad', detail: 'Cannot index number with string ("b")' } } });
    const failed = applyEvent(failing, started, (decision as { event: EngineEvent }).event);
    expect(decide(failing, failed, evaluateJq)).toMatchObject({ kind: 'record', event: { type: 'execution.failed', error: { instance: '/do/0/bad' } } });
  });

  test('a failing expression fails the execution with the DSL expression error naming the task', () => {
    const { state } = run(`${HEADER}do:\n  - bad:\n      set: { x: '\${ .boom }' }\n`, { n: 1 });
    expect(state.status).toBe('failed');
    expect(state.error).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/expression', status: 400, instance: '/do/0/bad', detail: 'Cannot index number with "boom"' });
  });

  test('try/catch: a caught error runs catch.do with the error bound; an uncaught one fails the execution', () => {
    const guarded = (filter: string) => `${HEADER}do:
  - guard:
      try:
        - fetch:
            call: http
            with: { method: get, endpoint: 'http://localhost/x' }
        - never:
            set: { reached: true }
      catch:
        errors:
          with: { type: ${filter} }
        as: failure
        do:
          - recover:
              set:
                recovered: \${ $failure.status }
  - after:
      set:
        done: true
`;
    const communication = 'https://serverlessworkflow.io/dsl/errors/types/communication';
    const caughtRun = run(guarded(communication), { n: 1 }, failing);
    expect(caughtRun.events.map((e) => e.type + ('pointer' in e ? ` ${e.pointer}` : ''))).toEqual([
      'execution.started',
      'task.started /do/0/guard',
      'task.dispatched /do/0/guard/try/0/fetch',
      'task.failed /do/0/guard/try/0/fetch',
      'task.caught /do/0/guard',
      'task.completed /do/0/guard/catch/do/0/recover',
      'task.completed /do/0/guard',
      'task.completed /do/1/after',
      'execution.completed',
    ]);
    expect(caughtRun.events[5]).toMatchObject({ output: { recovered: 503 } });
    const uncaught = run(guarded('https://serverlessworkflow.io/spec/1.0.0/errors/timeout'), { n: 1 }, failing);
    expect(uncaught.state).toMatchObject({ status: 'failed', error: { status: 503, instance: '/do/0/guard/try/0/fetch' } });
  });

  test('catch.retry runs the try again after the computed delays, then hands the error to catch', () => {
    let calls = 0;
    const flaky: Executor = (pointer) => ((calls += 1) < 3 ? failing(pointer) : { output: { ok: calls } });
    const text = `${HEADER}do:
  - guard:
      try:
        - fetch:
            call: http
            with: { method: get, endpoint: 'http://localhost/x' }
      catch:
        retry:
          delay: { seconds: 1 }
          backoff: { exponential: {} }
          limit: { attempt: { count: 5 } }
`;
    const { events, state } = run(text, {}, flaky);
    expect(events.filter((e) => e.type === 'task.retrying').map((e) => ('delayMs' in e ? [e.attempt, e.delayMs] : []))).toEqual([
      [2, 1000],
      [3, 2000],
    ]);
    expect(state).toMatchObject({ status: 'completed', output: { ok: 3 }, retries: {} });
    calls = -10;
    const exhausted = run(text.replace('count: 5', 'count: 2'), {}, flaky);
    expect(exhausted.events.filter((e) => e.type === 'task.retrying')).toHaveLength(1);
    expect(exhausted.state).toMatchObject({ status: 'completed', output: {} });
  });

  test('raise fails the execution with the raised error', () => {
    const { state } = run(`${HEADER}do:\n  - stop:\n      raise:\n        error: { type: 'https://acme.com/errors/nope', status: 409, title: Nope }\n`, {});
    expect(state.error).toEqual({ type: 'https://acme.com/errors/nope', status: 409, instance: '/do/0/stop', title: 'Nope' });
  });

  test('folding the same events twice gives the same state, from scratch or from any snapshot', () => {
    const { definition, events, state } = run(SEED, { message: 'm', user_id: 'u' });
    fc.assert(
      fc.property(fc.nat(events.length), (cut) => {
        const snapshot: ExecutionState = foldEvents(definition, events.slice(0, cut), INITIAL_STATE);
        expect(foldEvents(definition, events.slice(cut), snapshot)).toEqual(state);
        expect(foldEvents(definition, events, INITIAL_STATE)).toEqual(foldEvents(definition, events, INITIAL_STATE));
      }),
    );
  });
});
