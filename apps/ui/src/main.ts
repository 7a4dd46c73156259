/**
 * React single-page app: executions, search, event timeline with I/O, time travel, stats.
 *
 * Shell only: the service itself is built by issue #5. Kept in the workspace now so
 * that its tags and layer rules are enforced from the start.
 */
export const SERVICE_NAME = 'ui';
