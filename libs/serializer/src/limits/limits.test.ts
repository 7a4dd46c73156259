import { describe, expect, test } from 'vitest';
import { PayloadTooLargeError } from '../errors/errors.js';
import { parseByteSize, parseDuration } from './byte-size.js';
import { checkSize, DEFAULT_SIZE_LIMITS } from './size-limits.js';

describe('size limits', () => {
  test('defaults are the seed limits', () => {
    expect(DEFAULT_SIZE_LIMITS).toEqual({ maxPayloadSize: 10_485_760, maxWorkflowInputSize: 10_485_760, maxTaskOutputSize: 5_242_880 });
  });

  test('an oversized task output names path, size and limit', () => {
    const error = (() => {
      try {
        checkSize(5_242_881, 'taskOutput', 'tasks.fetch.output');
      } catch (e) {
        return e as PayloadTooLargeError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ path: 'tasks.fetch.output', size: 5_242_881, limit: 5_242_880, limitName: 'MAX_TASK_OUTPUT_SIZE' });
    expect(error?.message).toBe('tasks.fetch.output is 5 MiB (5242881 bytes), over MAX_TASK_OUTPUT_SIZE of 5 MiB (5242880 bytes)');
  });

  test('the general payload limit applies when it is the smaller one', () => {
    const limits = { maxPayloadSize: 100, maxWorkflowInputSize: 1000, maxTaskOutputSize: 1000 };
    expect(() => checkSize(101, 'workflowInput', 'input', limits)).toThrow(/MAX_PAYLOAD_SIZE/);
    expect(() => checkSize(100, 'workflowInput', 'input', limits)).not.toThrow();
  });

  test.each([
    ['10MB', 10 * 1024 * 1024],
    ['5mb', 5 * 1024 * 1024],
    ['256KiB', 262_144],
    ['1k', 1000],
    ['1.5kb', 1536],
    ['42', 42],
  ])('parses size %s', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  test.each(['', 'ten', '10 XB', '-1', '1e3'])('rejects size %j', (text) => expect(parseByteSize(text)).toBeUndefined());

  test.each([
    ['7d', 604_800_000],
    ['30d', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['1500ms', 1500],
    ['60', 60_000],
  ])('parses duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['', '7 days', 'd', '1h 2x'])('rejects duration %j', (text) => expect(parseDuration(text)).toBeUndefined());
});
