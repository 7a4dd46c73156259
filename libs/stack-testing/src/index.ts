/**
 * `@flunq/stack-testing`: what end-to-end tests need to run flunq-io for real: the apps as
 * processes (`startService`), an isolated deployment on a shared Redis (`deployment`: its
 * own key and queue prefixes, an EngineClient), free ports, polling. Tests only.
 */
export { deployment, waitFor } from './deployment.js';
export { freePort, startService } from './processes.js';
export type { ServiceProcess } from './processes.js';
