/**
 * Connect RPC ExecutorService: runs tasks (http calls, custom functions) and returns their output.
 *
 * Shell only: the service itself is built by issue #4. Kept in the workspace now so
 * that its tags and layer rules are enforced from the start.
 */
export const SERVICE_NAME = 'executor';
