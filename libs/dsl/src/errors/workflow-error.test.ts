import { describe, expect, test } from 'vitest';
import { errorTypeMatches, standardErrorUri, workflowError, WorkflowError } from './workflow-error.js';

describe('workflow errors', () => {
  test('standard errors get their URI and default status; the status can be refined', () => {
    const error = workflowError('communication', '/do/1/fetchUser', { title: 'Service unavailable', status: 503 });
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error.problem).toEqual({
      type: 'https://serverlessworkflow.io/spec/1.0.0/errors/communication',
      status: 503,
      instance: '/do/1/fetchUser',
      title: 'Service unavailable',
    });
    expect(workflowError('timeout', '/do/0/wait').problem.status).toBe(408);
    expect(error.message).toBe('Service unavailable at /do/1/fetchUser');
  });

  test('catch filters match a standard type through any of its published URIs', () => {
    const raised = standardErrorUri('communication');
    expect(errorTypeMatches(raised, raised)).toBe(true);
    expect(errorTypeMatches(raised, 'https://serverlessworkflow.io/dsl/errors/types/communication')).toBe(true);
    expect(errorTypeMatches(raised, 'https://open-workflow-specification.org/spec/1.0.0/errors/communication')).toBe(true);
    expect(errorTypeMatches(raised, standardErrorUri('timeout'))).toBe(false);
    expect(errorTypeMatches('https://example.com/errors/communication-ish', raised)).toBe(false);
    expect(errorTypeMatches('https://acme.com/errors/custom', 'https://acme.com/errors/custom')).toBe(true);
    expect(errorTypeMatches('https://acme.com/errors/custom', 'https://other.com/errors/custom')).toBe(false);
  });
});
