import { describe, expect, test } from 'vitest';
import { DEFAULT_EXECUTOR_URL, ExecutorRoutesError, parseExecutorRoutes } from '../src/index.js';

describe('parseExecutorRoutes', () => {
  test('without settings every task goes to the default executor', () => {
    const directory = parseExecutorRoutes({});
    expect(directory.urlFor('call.function', 'sendEmail')).toBe(DEFAULT_EXECUTOR_URL);
    expect(directory.urlFor('call.http')).toBe('http://127.0.0.1:50051');
  });

  test('routes functions by name and http calls by task type, others to FLUNQ_EXECUTOR_URL', () => {
    const directory = parseExecutorRoutes({
      FLUNQ_EXECUTOR_URL: 'http://exec:50051',
      FLUNQ_EXECUTOR_ROUTES: ' sendEmail=http://a:1 , chargeCard=http://b:2,call.http=https://egress:3,',
    });
    expect(directory.urlFor('call.function', 'sendEmail')).toBe('http://a:1');
    expect(directory.urlFor('call.function', 'chargeCard')).toBe('http://b:2');
    expect(directory.urlFor('call.function', 'other')).toBe('http://exec:50051');
    expect(directory.urlFor('call.http')).toBe('https://egress:3');
    expect(directory.urlFor('call.http', 'sendEmail')).toBe('https://egress:3');
    expect(directory.urls()).toEqual(['http://exec:50051', 'http://a:1', 'http://b:2', 'https://egress:3']);
  });

  test('names every malformed setting in one typed error', () => {
    const read = (): unknown =>
      parseExecutorRoutes({ FLUNQ_EXECUTOR_URL: 'exec:50051x', FLUNQ_EXECUTOR_ROUTES: 'sendEmail,=http://a:1,x=ftp://b,y=http://c:1,y=http://d:1,z=not a url' });
    expect(read).toThrow(ExecutorRoutesError);
    try {
      read();
    } catch (error) {
      const problems = (error as ExecutorRoutesError).problems;
      expect(problems).toHaveLength(6);
      expect(problems[0]).toMatch(/FLUNQ_EXECUTOR_URL: "exec:50051x" is not an http\(s\) URL/);
      expect(problems[1]).toMatch(/"sendEmail": expected name=url/);
      expect(problems[2]).toMatch(/"=http:\/\/a:1": expected name=url/);
      expect(problems[3]).toMatch(/"ftp:\/\/b" is not an http\(s\) URL/);
      expect(problems[4]).toMatch(/"y" is routed twice/);
      expect(problems[5]).toMatch(/"not a url" is not a URL/);
    }
  });
});
