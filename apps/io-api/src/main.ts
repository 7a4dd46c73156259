/**
 * The front door: REST/JSON and Connect views of definitions, executions, events, time travel, search, replay.
 *
 * Shell only: the service itself is built by issue #5. Kept in the workspace now so
 * that its tags and layer rules are enforced from the start.
 */
export const SERVICE_NAME = 'io-api';
