import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  test('defaults', () => {
    expect(loadConfig({})).toEqual({ host: '127.0.0.1', port: 50_051, metricsPort: 9465, outputLimitBytes: 5 * 1024 * 1024, logLevel: 'info' });
  });

  test('reads every setting; sizes take units', () => {
    const config = loadConfig({
      FLUNQ_EXECUTOR_HOST: '0.0.0.0',
      FLUNQ_EXECUTOR_PORT: '6000',
      FLUNQ_EXECUTOR_METRICS_PORT: '0',
      FLUNQ_TASK_OUTPUT_LIMIT: '10MiB',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toEqual({ host: '0.0.0.0', port: 6000, metricsPort: 0, outputLimitBytes: 10 * 1024 * 1024, logLevel: 'debug' });
    expect(loadConfig({ MAX_TASK_OUTPUT_SIZE: '2MB' }).outputLimitBytes).toBe(2 * 1024 * 1024);
  });

  test('names every bad key at once', () => {
    const read = (): unknown => loadConfig({ FLUNQ_EXECUTOR_PORT: '70000', FLUNQ_EXECUTOR_METRICS_PORT: '-1', FLUNQ_TASK_OUTPUT_LIMIT: 'lots', LOG_LEVEL: 'chatty' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/FLUNQ_EXECUTOR_PORT="70000".*FLUNQ_EXECUTOR_METRICS_PORT="-1".*FLUNQ_TASK_OUTPUT_LIMIT="lots".*LOG_LEVEL="chatty"/);
  });
});
