import { afterEach, describe, expect, test, vi } from 'vitest';
import { ConfigError } from './env-reader.js';
import { loadConfigOrExit } from './load-or-exit.js';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
const exit = (code: number): never => {
  throw new Exited(code);
};

describe('loadConfigOrExit', () => {
  afterEach(() => vi.restoreAllMocks());

  test('returns the settings', () => {
    expect(loadConfigOrExit(() => ({ port: 1 }), exit)).toEqual({ port: 1 });
  });

  test('a ConfigError is its message on stderr and exit code 1', () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const bad = (): never => {
      throw new ConfigError('worker', ['PORT="x" is not a port (0-65535)']);
    };
    expect(() => loadConfigOrExit(bad, exit)).toThrow(new Exited(1));
    expect(stderr).toHaveBeenCalledWith('invalid worker configuration: PORT="x" is not a port (0-65535)');
  });

  test('any other error is thrown on', () => {
    const broken = (): never => {
      throw new TypeError('bug');
    };
    expect(() => loadConfigOrExit(broken, exit)).toThrow(TypeError);
  });
});
