import { describe, expect, test } from 'vitest';
import { ApiKeys } from '../src/api-keys.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('io-api settings', () => {
  test('defaults, and keys mapped to tenants', () => {
    const config = loadConfig({ FLUNQ_API_KEYS: ' aaaaaaaaaaaaaaaa=tenant-a , bbbbbbbbbbbbbbbb=tenant-b' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, metricsPort: 9466, redisUrl: 'redis://localhost:6379', keyPrefix: '', queuePrefix: '{flunq}', sseHeartbeatMs: 15_000 });
    expect(config.apiKeys.tenantOf('aaaaaaaaaaaaaaaa')).toBe('tenant-a');
    expect(config.apiKeys.tenantOf('bbbbbbbbbbbbbbbb')).toBe('tenant-b');
    expect(config.apiKeys.tenantOf('aaaaaaaaaaaaaaab')).toBeUndefined();
    expect(config.apiKeys.tenantOf('')).toBeUndefined();
  });

  test('every bad entry and key is reported at once, without echoing keys', () => {
    let error: unknown;
    try {
      loadConfig({ FLUNQ_API_KEYS: 'secretsecret=tenant-a,no-equals,cccccccccccccccc=a/b,cccccccccccccccc=x,dddddddddddddddd=ok', FLUNQ_API_PORT: '99999', MAX_WORKFLOW_INPUT_SIZE: 'lots' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'FLUNQ_API_KEYS: entry 1: the key is shorter than 16 characters',
      'FLUNQ_API_KEYS: entry 2 is not key=tenant',
      expect.stringMatching(/^FLUNQ_API_KEYS: entry 3: invalid tenant id "a\/b"/),
      'FLUNQ_API_KEYS: entry 4: the key is listed twice',
      expect.stringMatching(/^FLUNQ_API_PORT="99999"/),
      expect.stringMatching(/^MAX_WORKFLOW_INPUT_SIZE="lots"/),
    ]);
    expect(problems.join(' ')).not.toContain('secretsecret');
    expect(() => loadConfig({})).toThrow(/FLUNQ_API_KEYS is required/);
  });

  test('a key is found wherever it sits among many', () => {
    const entries = Array.from({ length: 50 }, (_, i) => `key-${String(i).padStart(12, '0')}=tenant-${i}`).join(',');
    const { keys, problems } = ApiKeys.parse(entries);
    expect(problems).toEqual([]);
    expect(keys.size).toBe(50);
    expect(keys.tenantOf('key-000000000049')).toBe('tenant-49');
  });
});
