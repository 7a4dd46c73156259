import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger, LogLevelError, withTaskContext } from '../src/index.js';

function captureLines(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  test('writes JSON lines carrying the service and the level name', () => {
    const { stream, lines } = captureLines();
    createLogger('executor', { destination: stream, env: {} }).info({ sizeBytes: 12 }, 'task done');
    expect(lines()).toEqual([expect.objectContaining({ service: 'executor', level: 'info', msg: 'task done', sizeBytes: 12 })]);
    expect(typeof lines()[0]?.['time']).toBe('string');
  });

  test('takes its level from LOG_LEVEL, default info', () => {
    const { stream, lines } = captureLines();
    const warnOnly = createLogger('worker', { destination: stream, env: { LOG_LEVEL: 'WARN' } });
    warnOnly.info('hidden');
    warnOnly.warn('shown');
    expect(lines().map((l) => l['msg'])).toEqual(['shown']);
    expect(createLogger('worker', { destination: stream, env: {} }).level).toBe('info');
    expect(createLogger('worker', { destination: stream, env: { LOG_LEVEL: 'warn' }, level: 'debug' }).level).toBe('debug');
  });

  test('refuses an unknown level with a typed error naming the valid ones', () => {
    expect(() => createLogger('worker', { env: { LOG_LEVEL: 'verbose' } })).toThrow(LogLevelError);
    expect(() => createLogger('worker', { env: { LOG_LEVEL: 'verbose' } })).toThrow(/"verbose".*trace, debug, info/);
  });

  test('task children carry the execution ids and leave out empty ones', () => {
    const { stream, lines } = captureLines();
    const log = withTaskContext(createLogger('worker', { destination: stream, env: {} }), {
      executionId: 'ex-1',
      taskId: '/do/0/a',
      workflowId: 'wf',
      tenantId: '',
    });
    log.info('step');
    expect(lines()[0]).toMatchObject({ service: 'worker', executionId: 'ex-1', taskId: '/do/0/a', workflowId: 'wf' });
    expect(lines()[0]).not.toHaveProperty('tenantId');
  });
});
