import { InvalidIdError } from '../errors/store-errors.js';

/** Longest id accepted in a key. */
export const MAX_ID_LENGTH = 256;

// `:` separates key parts, `{`/`}` would break the hash tag, whitespace/control chars hide in logs.
const FORBIDDEN = /[:{}\s\p{Cc}]/u;

/** Throws {@link InvalidIdError} unless `id` can be used inside a key. */
export function assertValidId(id: string, kind = 'execution'): void {
  if (typeof id !== 'string' || id.length === 0) throw new InvalidIdError(kind, String(id), 'empty');
  if (id.length > MAX_ID_LENGTH) throw new InvalidIdError(kind, id, `longer than ${MAX_ID_LENGTH} characters`);
  const bad = FORBIDDEN.exec(id);
  if (bad) throw new InvalidIdError(kind, id, `contains ${JSON.stringify(bad[0])}`);
}

/** Every Redis key of the store. The execution id is the hash tag: one slot per execution. */
export interface KeyBuilder {
  readonly prefix: string;
  /** `workflow:state:{<id>}`: the state snapshot. */
  state(executionId: string): string;
  /** `events:workflow:{<id>}`: the event stream, entry id `<sequence>-0`. */
  events(executionId: string): string;
}

/**
 * Creates the key builder. Key names are the seed's (`workflow:state:{id}`,
 * `events:workflow:{id}`), optionally namespaced by a deployment prefix such as `prod:`.
 */
export function createKeyBuilder(prefix = ''): KeyBuilder {
  if (/[{}\s]/.test(prefix)) throw new InvalidIdError('key prefix', prefix, 'contains braces or whitespace');
  const tagged = (kind: string, id: string): string => {
    assertValidId(id);
    return `${prefix}${kind}:{${id}}`;
  };
  return {
    prefix,
    state: (id) => tagged('workflow:state', id),
    events: (id) => tagged('events:workflow', id),
  };
}
