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
});
