import { describe, expect, test } from 'vitest';
import { ExecutorFailure } from '../src/index.js';

describe('ExecutorFailure', () => {
  test('a standard name becomes its spec URI with its default status, not retryable', () => {
    const failure = new ExecutorFailure({ type: 'timeout' });
    expect(failure).toMatchObject({ type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout', status: 408, title: 'timeout', retryable: false, code: 'EXECUTOR_FAILURE' });
    expect(failure.typeName).toBe('timeout');
  });

  test('a custom URI is kept and defaults to 500; retryAfterMs is rounded and never negative', () => {
    const failure = new ExecutorFailure({ type: 'urn:acme:card-declined', detail: 'insufficient funds', retryable: true, retryAfterMs: -3 });
    expect(failure).toMatchObject({ type: 'urn:acme:card-declined', status: 500, retryAfterMs: 0, message: 'urn:acme:card-declined: insufficient funds' });
    expect(failure.typeName).toBeUndefined();
  });

  test('refuses a type that is neither a standard name nor a URI', () => {
    expect(() => new ExecutorFailure({ type: 'oops' })).toThrow(/"oops" is neither a URI nor one of configuration, validation/);
  });
});
