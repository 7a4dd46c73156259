import { expect, test } from 'vitest';
import { parseDefinition } from '../definitions/parse-definition.js';
import { workflowError } from '../errors/workflow-error.js';
import { decide, failTask, startExecution } from './decide.js';
import { INITIAL_STATE, type EngineClock, type EngineEvent } from './engine-types.js';
import { evaluateJq } from './jq-evaluate.js';
import { applyEvent } from './reducer.js';

const DEFINITION = `document: { dsl: '1.0.0', namespace: t, name: retry, version: '1.0.0' }
do:
  - guard:
      try:
        - fetch: { call: http, with: { method: get, endpoint: 'http://flaky.test/' } }
      catch:
        retry:
          delay: PT1S
          backoff: { constant: {} }
          limit: { duration: PT5S }
`;

test('retry limit.duration counts from the first attempt: attempts stop once the next start would pass it', () => {
  const definition = parseDefinition(DEFINITION);
  let now = Date.parse('2026-11-25T10:00:00Z');
  const clock: EngineClock = { now: () => now, newId: () => 'id', random: () => 0 };
  let state = applyEvent(definition, INITIAL_STATE, startExecution(definition, {}, evaluateJq));
  const outcomes: string[] = [];
  for (let guard = 0; guard < 50 && state.status === 'running'; guard++) {
    const decision = decide(definition, state, evaluateJq, clock);
    let event: EngineEvent;
    if (decision.kind === 'run') {
      // Each attempt takes 3 s to fail.
      now += 3_000;
      event = failTask(definition, state, decision.pointer, workflowError('communication', decision.pointer, { status: 503 }).problem, evaluateJq);
    } else if (decision.kind === 'none') break;
    else {
      if (decision.kind === 'delay') now += decision.durationMs;
      event = decision.event;
      if (event.type === 'task.retrying' || event.type === 'task.caught') outcomes.push(event.type);
    }
    state = applyEvent(definition, state, event);
  }
  // Failures at +3 s (3+1 <= 5: retry), +7 s (7+1 > 5: caught, no third attempt).
  expect(outcomes).toEqual(['task.retrying', 'task.caught']);
  expect(state.status).toBe('completed');
});
