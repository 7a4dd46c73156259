/** `@flunq/config`: service settings from the environment, every bad key reported at once. */
export { ConfigError, EnvReader } from './env-reader.js';
export type { Env, SearchSettings, StoreSettings } from './env-reader.js';
export { loadConfigOrExit } from './load-or-exit.js';
