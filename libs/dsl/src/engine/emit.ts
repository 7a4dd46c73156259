import type { EngineClock } from './engine-types.js';

/**
 * The CloudEvent (spec version 1.0) an `emit` task publishes, from its evaluated
 * `event.with`: `id` and `time` are filled in from the clock when the definition leaves
 * them out, and `source` and `type` are required. The event is the task's output.
 */
export function cloudEventOf(properties: unknown, clock: EngineClock): Record<string, unknown> {
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) throw new Error('emit.event.with must be an object');
  const event = properties as Record<string, unknown>;
  for (const required of ['source', 'type']) {
    if (typeof event[required] !== 'string' || event[required] === '') throw new Error(`emit.event.with.${required} must be a non-empty string`);
  }
  return { specversion: '1.0', id: clock.newId(), time: new Date(clock.now()).toISOString(), ...event };
}
