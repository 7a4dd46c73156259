import { ConfigError } from './env-reader.js';

/**
 * A service's settings at start: `load()`'s result, or, when it throws a {@link ConfigError},
 * that error's message (every bad key) on stderr and `exit(1)` (default `process.exit`).
 * Anything else `load()` throws is thrown on.
 *
 * @example
 * const config = loadConfigOrExit(loadConfig);
 */
export function loadConfigOrExit<T>(load: () => T, exit: (code: number) => never = (code) => process.exit(code)): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return exit(1);
  }
}
