import { DEFAULT_SIZE_LIMITS } from '@flunq/serializer';
import { describe, expect, test } from 'vitest';
import { ConfigError, EnvReader } from './env-reader.js';

describe('EnvReader', () => {
  test('reads human units and falls back on unset or blank keys', () => {
    const env = new EnvReader('test', { SIZE: '10MB', TTL: '7d', WAIT: '250ms', PORT: '0', LEVEL: 'DEBUG', BLANK: '  ', URL: 'redis://h:1' });
    expect(
      env.done({
        size: env.byteSize('SIZE', 1),
        ttl: env.durationMs('TTL', 1),
        wait: env.durationMs('WAIT', 1),
        port: env.port('PORT', 9),
        level: env.oneOf('LEVEL', ['info', 'debug'], 'info'),
        blank: env.string('BLANK', 'fallback'),
        missing: env.integer('MISSING', 16, 1, 100),
        url: env.url('URL', 'redis://localhost:6379', ['redis:', 'rediss:']),
      }),
    ).toEqual({ size: 10 * 1024 * 1024, ttl: 7 * 86_400_000, wait: 250, port: 0, level: 'debug', blank: 'fallback', missing: 16, url: 'redis://h:1' });
  });

  test('names every bad key and value in one error', () => {
    const env = new EnvReader('worker', { SIZE: 'huge', PORT: '70000', N: '1.5', LEVEL: 'loud', URL: 'http://x', TTL: 'soon' });
    env.byteSize('SIZE', 1);
    env.port('PORT', 1);
    env.integer('N', 1, 1, 10);
    env.oneOf('LEVEL', ['info'], 'info');
    env.url('URL', '', ['redis:']);
    env.durationMs('TTL', 1);
    let error: unknown;
    try {
      env.done({});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'SIZE="huge" is not a positive size such as 10MB',
      'PORT="70000" is not a port (0-65535)',
      'N="1.5" is not an integer in 1..10',
      'LEVEL="loud" is not one of info',
      'URL="http://x" is not a URL (redis:)',
      'TTL="soon" is not a duration such as 30s or 7d',
    ]);
    expect((error as ConfigError).message).toMatch(/^invalid worker configuration: SIZE="huge"/);
  });

  test('sizeLimits: the MAX_* keys, each defaulting to DEFAULT_SIZE_LIMITS, bad ones reported', () => {
    expect(new EnvReader('t', {}).sizeLimits()).toEqual(DEFAULT_SIZE_LIMITS);
    const env = new EnvReader('t', { MAX_PAYLOAD_SIZE: '1MB', MAX_TASK_OUTPUT_SIZE: '2048' });
    expect(env.done(env.sizeLimits())).toEqual({ maxPayloadSize: 1024 * 1024, maxWorkflowInputSize: DEFAULT_SIZE_LIMITS.maxWorkflowInputSize, maxTaskOutputSize: 2048 });
    const bad = new EnvReader('t', { MAX_WORKFLOW_INPUT_SIZE: '0' });
    bad.sizeLimits();
    expect(() => bad.done({})).toThrow('MAX_WORKFLOW_INPUT_SIZE="0" is not a positive size such as 10MB');
  });

  test('storeSettings: Redis URL, key and queue prefixes, size limits', () => {
    expect(new EnvReader('t', {}).storeSettings()).toMatchObject({ redisUrl: 'redis://localhost:6379', keyPrefix: '', queuePrefix: '{flunq}', limits: DEFAULT_SIZE_LIMITS });
    const env = new EnvReader('t', { REDIS_URL: 'rediss://r:6380', FLUNQ_KEY_PREFIX: 'prod:', FLUNQ_QUEUE_PREFIX: '{q}', MAX_PAYLOAD_SIZE: '5MiB' });
    expect(env.done(env.storeSettings())).toMatchObject({ redisUrl: 'rediss://r:6380', keyPrefix: 'prod:', queuePrefix: '{q}', limits: { ...DEFAULT_SIZE_LIMITS, maxPayloadSize: 5 * 1024 * 1024 } });
    const bad = new EnvReader('t', { REDIS_URL: 'http://r' });
    bad.storeSettings();
    expect(() => bad.done({})).toThrow('REDIS_URL="http://r" is not a URL (redis: or rediss:)');
  });

  test('storeSettings: search depth and value length, claim-check size (0 turns it off), every bad one named', () => {
    expect(new EnvReader('t', {}).storeSettings()).toMatchObject({ search: { maxDepth: 8, maxValueLength: 128 }, claimCheckBytes: 256 * 1024 });
    const env = new EnvReader('t', { FLUNQ_SEARCH_MAX_DEPTH: '3', FLUNQ_SEARCH_MAX_VALUE_LENGTH: '1024', FLUNQ_CLAIM_CHECK_SIZE: '64KiB' });
    expect(env.done(env.storeSettings())).toMatchObject({ search: { maxDepth: 3, maxValueLength: 1024 }, claimCheckBytes: 64 * 1024 });
    expect(new EnvReader('t', { FLUNQ_CLAIM_CHECK_SIZE: '0' }).storeSettings().claimCheckBytes).toBe(0);
    const bad = new EnvReader('t', { FLUNQ_SEARCH_MAX_DEPTH: '9', FLUNQ_SEARCH_MAX_VALUE_LENGTH: '0', FLUNQ_CLAIM_CHECK_SIZE: 'big' });
    bad.storeSettings();
    expect(() => bad.done({})).toThrow(/FLUNQ_SEARCH_MAX_DEPTH="9"[\s\S]*FLUNQ_SEARCH_MAX_VALUE_LENGTH="0"[\s\S]*FLUNQ_CLAIM_CHECK_SIZE="big"/);
  });

  test('redactor: the default fields, a policy of its own, none, and a secrets key that must be 32 bytes of base64', () => {
    expect(new EnvReader('t', {}).redactor().covers('Authorization')).toBe(true);
    const custom = new EnvReader('t', { FLUNQ_REDACT_FIELDS: 'ssn, card_number' }).redactor();
    expect([custom.covers('ssn'), custom.covers('CardNumber'), custom.covers('password')]).toEqual([true, true, false]);
    expect(new EnvReader('t', { FLUNQ_REDACT_FIELDS: 'none' }).redactor().covers('password')).toBe(false);
    const key = Buffer.alloc(32, 7).toString('base64');
    const sealed = new EnvReader('t', { FLUNQ_SECRETS_KEY: key }).redactor().redact({ password: 'x' });
    expect(sealed).toMatchObject({ password: { $redacted: 'sealed' } });
    const bad = new EnvReader('t', { FLUNQ_SECRETS_KEY: 'c2hvcnQ=' });
    bad.redactor();
    expect(() => bad.done({})).toThrow('FLUNQ_SECRETS_KEY is not 32 bytes in base64');
  });
});
