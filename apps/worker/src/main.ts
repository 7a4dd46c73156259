/**
 * The orchestrator: drives executions through the DSL, calls executors, records every step, runs the BullMQ maintenance jobs.
 *
 * Shell only: the service itself is built by issue #4. Kept in the workspace now so
 * that its tags and layer rules are enforced from the start.
 */
export const SERVICE_NAME = 'worker';
