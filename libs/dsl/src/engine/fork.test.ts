import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDefinition } from '../definitions/parse-definition.js';
import { workflowError } from '../errors/workflow-error.js';
import { FlowError } from '../flow/task-navigation.js';
import { completeTask, decideAll, failTask, startExecution } from './decide.js';
import { INITIAL_STATE, type Decision, type EngineClock, type EngineEvent, type ExecutionState } from './engine-types.js';
import { evaluateJq } from './jq-evaluate.js';
import { applyEvent, foldEvents } from './reducer.js';

const HEADER = "document: { dsl: '1.0.0', namespace: t, name: fork, version: '1.0.0' }\n";
const clock: EngineClock = { now: () => Date.parse('2026-11-25T10:00:00Z'), newId: () => 'event-1', random: () => 0.5 };

const PARALLEL = `${HEADER}do:
  - fanOut:
      fork:
        compete: COMPETE
        branches:
          - slow:
              call: http
              with: { method: get, endpoint: 'http://slow.test/' }
          - fast:
              call: http
              with: { method: get, endpoint: 'http://fast.test/' }
          - local:
              set: { from: local }
      output:
        as: '\${ { results: . } }'
  - after:
      set: { done: true, results: '\${ .results }' }
`;

/** Records every `record` decision of every thread until only runs (or nothing) are left. */
function settle(definition: unknown, state: ExecutionState, events: EngineEvent[]): { state: ExecutionState; runs: Extract<Decision, { kind: 'run' }>[] } {
  for (let guard = 0; guard < 100; guard++) {
    const decisions = decideAll(definition, state, evaluateJq, clock);
    const local = decisions.find((d) => d.kind === 'record' || d.kind === 'delay');
    if (!local) return { state, runs: decisions.filter((d): d is Extract<Decision, { kind: 'run' }> => d.kind === 'run') };
    events.push(local.event);
    state = applyEvent(definition, state, local.event);
  }
  throw new Error('did not settle');
}

function begin(text: string, input: unknown) {
  const definition = parseDefinition(text);
  const events: EngineEvent[] = [startExecution(definition, input, evaluateJq)];
  return { definition, events, ...settle(definition, applyEvent(definition, INITIAL_STATE, events[0]!), events) };
}

describe('fork', () => {
  test('branches run concurrently: both calls are dispatched before either returns; the output lists branch outputs in branch order', () => {
    const { definition, events, state, runs } = begin(PARALLEL.replace('COMPETE', 'false'), { n: 1 });
    expect(runs.map((r) => r.pointer)).toEqual(['/do/0/fanOut/fork/branches/0/slow', '/do/0/fanOut/fork/branches/1/fast']);
    expect(new Set(runs.map((r) => r.dispatched)).size).toBe(2);
    // The fast branch answers first, then the slow one.
    const fast = completeTask(definition, state, runs[1]!.pointer, runs[1]!.input, { speed: 'fast' }, evaluateJq);
    let next = settle(definition, applyEvent(definition, state, fast), [...events, fast]);
    expect(next.runs.map((r) => r.pointer)).toEqual(['/do/0/fanOut/fork/branches/0/slow']);
    const slow = completeTask(definition, next.state, runs[0]!.pointer, runs[0]!.input, { speed: 'slow' }, evaluateJq);
    next = settle(definition, applyEvent(definition, next.state, slow), []);
    expect(next.state.status).toBe('completed');
    expect(next.state.output).toEqual({ done: true, results: [{ speed: 'slow' }, { speed: 'fast' }, { from: 'local' }] });
    expect(next.state.branches).toEqual({});
    expect(next.state.forks).toEqual({});
  });

  test('compete: the first branch to finish is the output, the others are abandoned and their late results refused', () => {
    const { definition, state, runs } = begin(PARALLEL.replace('COMPETE', 'true').replace(/ {10}- local:\n {14}set: \{ from: local \}\n/, ''), {});
    expect(runs).toHaveLength(2);
    const fast = completeTask(definition, state, runs[1]!.pointer, runs[1]!.input, { speed: 'fast' }, evaluateJq);
    const won = settle(definition, applyEvent(definition, state, fast), []);
    expect(won.state.output).toEqual({ done: true, results: { speed: 'fast' } });
    const late = completeTask(definition, state, runs[0]!.pointer, runs[0]!.input, { speed: 'slow' }, evaluateJq);
    expect(() => applyEvent(definition, won.state, late)).toThrow(FlowError);
  });

  test('an error in one branch fails the execution unless a try around the fork catches it, which abandons every branch', () => {
    const failing = begin(PARALLEL.replace('COMPETE', 'false'), {});
    const error = workflowError('communication', failing.runs[0]!.pointer, { status: 503 }).problem;
    const failedTask = failTask(failing.definition, failing.state, failing.runs[0]!.pointer, error, evaluateJq);
    expect(failedTask).toMatchObject({ type: 'task.failed', pointer: failing.runs[0]!.pointer, input: {}, error: { status: 503 } });
    const failed = settle(failing.definition, applyEvent(failing.definition, failing.state, failedTask), []).state;
    expect(failed).toMatchObject({ status: 'failed', error: { status: 503 }, branches: {}, forks: {} });

    const guarded = `${HEADER}do:
  - guard:
      try:
        - fanOut:
            fork:
              branches:
                - a: { call: http, with: { method: get, endpoint: 'http://a.test/' } }
                - b: { call: http, with: { method: get, endpoint: 'http://b.test/' } }
      catch:
        as: failure
        do:
          - recover:
              set: { recovered: '\${ $failure.status }' }
`;
    const started = begin(guarded, {});
    const failedB = applyEvent(started.definition, started.state, failTask(started.definition, started.state, started.runs[1]!.pointer, { ...error, instance: started.runs[1]!.pointer }, evaluateJq));
    const [caught] = decideAll(started.definition, failedB, evaluateJq, clock).filter((d) => d.kind === 'record');
    expect(caught).toMatchObject({ event: { type: 'task.caught', pointer: '/do/0/guard' } });
    const afterCatch = applyEvent(started.definition, failedB, (caught as { event: EngineEvent }).event);
    expect(afterCatch.branches).toEqual({});
    const end = settle(started.definition, afterCatch, []);
    expect(end.state.output).toEqual({ recovered: 503 });
  });

  test('nested forks and `then: end` inside a branch', () => {
    const text = `${HEADER}do:
  - outer:
      fork:
        branches:
          - left:
              fork:
                branches:
                  - l1: { set: { v: 1 } }
                  - l2: { set: { v: 2 } }
          - right:
              do:
                - r1: { set: { v: 3 } }
  - last: { set: { all: '\${ . }' } }
`;
    const { state } = begin(text, {});
    expect(state.output).toEqual({ all: [[{ v: 1 }, { v: 2 }], { v: 3 }] });
    const ended = begin(text.replace('- r1: { set: { v: 3 } }', '- r1: { set: { v: 3 }, then: end }'), {});
    expect(ended.state.status).toBe('completed');
    expect(ended.state.output).toEqual({ v: 3 });
  });

  test('an empty fork completes at once with an empty list', () => {
    const { state } = begin(`${HEADER}do:\n  - none:\n      fork:\n        branches: []\n`, { x: 1 });
    expect(state).toMatchObject({ status: 'completed', output: [] });
  });

  test('any order of branch results folds to the same state, and refolding the events gives it again', () => {
    const text = `${HEADER}do:
  - fan:
      fork:
        branches:
${[0, 1, 2, 3].map((i) => `          - b${i}: { call: http, with: { method: get, endpoint: 'http://b${i}.test/' } }`).join('\n')}
`;
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (order) => {
        const run = begin(text, {});
        const events = [...run.events];
        let state = run.state;
        for (const index of order) {
          const decision = run.runs[index]!;
          const event = completeTask(run.definition, state, decision.pointer, decision.input, { index }, evaluateJq);
          events.push(event);
          state = settle(run.definition, applyEvent(run.definition, state, event), events).state;
        }
        expect(state.output).toEqual([0, 1, 2, 3].map((index) => ({ index })));
        expect(foldEvents(run.definition, events, INITIAL_STATE)).toEqual(state);
      }),
      { numRuns: 24 },
    );
  });
});

describe('emit', () => {
  test('the output is the CloudEvent, with id and time from the clock unless the definition sets them', () => {
    const { state } = begin(
      `${HEADER}do:
  - greet:
      emit:
        event:
          with:
            source: https://flunq.test
            type: io.flunq.test.greeted.v1
            data: { greeting: '\${ "Hi " + .name }' }
`,
      { name: 'Ada' },
    );
    expect(state.output).toEqual({
      specversion: '1.0',
      id: 'event-1',
      time: '2026-11-25T10:00:00.000Z',
      source: 'https://flunq.test',
      type: 'io.flunq.test.greeted.v1',
      data: { greeting: 'Hi Ada' },
    });
  });

  test('an event whose type evaluates to nothing fails the execution with an error naming the task', () => {
    const { state } = begin(`${HEADER}do:\n  - greet:\n      emit:\n        event:\n          with: { source: 'https://flunq.test', type: '\${ .missing }' }\n`, {});
    expect(state).toMatchObject({ status: 'failed', error: { instance: '/do/0/greet', detail: 'emit.event.with.type must be a non-empty string' } });
  });
});

describe('runtime arguments', () => {
  test('$task names the task and its pointer, $runtime describes the engine, $workflow.input is the workflow input', () => {
    const { state } = begin(
      `${HEADER}do:\n  - look:\n      set:\n        task: '\${ $task }'\n        runtime: '\${ $runtime.name }'\n        first: '\${ $workflow.input.n }'\n`,
      { n: 7 },
    );
    expect(state.output).toEqual({ task: { name: 'look', reference: '/do/0/look' }, runtime: 'flunq-io', first: 7 });
  });
});

describe('failures', () => {
  test('a failing expression is a task failure a try can catch; it is recorded with the task input', () => {
    const { events, state } = begin(
      `${HEADER}do:
  - guard:
      try:
        - bad: { set: { x: '\${ .a.b }' } }
      catch:
        errors: { with: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/expression' } }
        as: oops
        do:
          - recover: { set: { recovered: '\${ $oops.detail }' } }
`,
      { a: 5 },
    );
    expect(events.find((e) => e.type === 'task.failed')).toMatchObject({ pointer: '/do/0/guard/try/0/bad', input: { a: 5 }, error: { status: 400, instance: '/do/0/guard/try/0/bad' } });
    expect(state).toMatchObject({ status: 'completed', output: { recovered: 'Cannot index number with string ("b")' } });
  });

  test('raise records the raised error as the task failure, then fails the execution', () => {
    const { events, state } = begin(`${HEADER}do:\n  - stop:\n      raise:\n        error: { type: 'https://example.com/errors/nope', status: 409, title: Nope }\n`, { why: 'x' });
    expect(events.map((e) => e.type)).toEqual(['execution.started', 'task.failed', 'execution.failed']);
    expect(state.error).toEqual({ type: 'https://example.com/errors/nope', status: 409, title: 'Nope', instance: '/do/0/stop' });
  });
});
