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

/**
 * Every Redis key of the store. The execution id is the hash tag: one slot per execution;
 * for workflow definitions `<tenantId>/<workflowId>` is: one slot per workflow; for the
 * execution index `<tenantId>` is: one slot per tenant.
 */
export interface KeyBuilder {
  readonly prefix: string;
  /** `workflow:state:{<id>}`: the state snapshot. */
  state(executionId: string): string;
  /** `events:workflow:{<id>}`: the event stream, entry id `<sequence>-0`. */
  events(executionId: string): string;
  /**
   * `workflow:definition:{<tenantId>/<workflowId>}`: HASH of every registered version of one
   * workflow definition (fields `latest`, and per version `sha256:<v>`, `at:<v>`, `codec:<v>`,
   * `size:<v>`, `src:<v>`). The hash tag is `<tenantId>/<workflowId>`: one slot per workflow.
   * @throws InvalidIdError for an invalid tenant (also: holding `/`) or workflow id
   */
  definition(tenantId: string, workflowId: string): string;
  /**
   * `workflow:definition:versions:{<tenantId>/<workflowId>}`: LIST of the versions in
   * registration order; same hash tag (and slot) as {@link KeyBuilder.definition}.
   */
  definitionVersions(tenantId: string, workflowId: string): string;
  /**
   * `workflow:definitions:{<tenantId>}`: ZSET (all scores 0, ordered by member bytes) of the
   * tenant's workflow ids; derived data that every `register` repairs.
   */
  definitionIndex(tenantId: string): string;
  /**
   * `executions:{<tenantId>}`: ZSET of every indexed execution of the tenant (member the
   * execution id, score its `createdAtMs`). Every execution-index key of one tenant carries the
   * hash tag `{<tenantId>}`: one slot per tenant, so a listing is one script on one node.
   * @throws InvalidIdError for an invalid tenant id (also: holding `/`)
   */
  executions(tenantId: string): string;
  /** `executions:{<tenantId>}:status:<STATUS>`: ZSET like {@link KeyBuilder.executions}, of one status (e.g. `RUNNING`). */
  executionsByStatus(tenantId: string, status: string): string;
  /** `executions:{<tenantId>}:workflow:<workflowId>`: ZSET like {@link KeyBuilder.executions}, of one workflow. */
  executionsByWorkflow(tenantId: string, workflowId: string): string;
  /** `execution:summary:{<tenantId>}`: HASH execution id -> encoded summary (see docs/executions-index.md). */
  executionSummaries(tenantId: string): string;
}

/**
 * Throws {@link InvalidIdError} unless `tenantId` can be used in a definition key: a valid id
 * (see {@link assertValidId}) without `/`, which separates tenant and workflow in the hash tag.
 */
export function assertValidTenantId(tenantId: string): void {
  assertValidId(tenantId, 'tenant');
  if (tenantId.includes('/')) throw new InvalidIdError('tenant', tenantId, 'contains "/"');
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
  const workflowTag = (tenantId: string, workflowId: string): string => {
    assertValidTenantId(tenantId);
    assertValidId(workflowId, 'workflow');
    return `${tenantId}/${workflowId}`;
  };
  return {
    prefix,
    state: (id) => tagged('workflow:state', id),
    events: (id) => tagged('events:workflow', id),
    definition: (tenantId, workflowId) => `${prefix}workflow:definition:{${workflowTag(tenantId, workflowId)}}`,
    definitionVersions: (tenantId, workflowId) => `${prefix}workflow:definition:versions:{${workflowTag(tenantId, workflowId)}}`,
    definitionIndex: (tenantId) => {
      assertValidTenantId(tenantId);
      return `${prefix}workflow:definitions:{${tenantId}}`;
    },
    executions: (tenantId) => {
      assertValidTenantId(tenantId);
      return `${prefix}executions:{${tenantId}}`;
    },
    executionsByStatus: (tenantId, status) => {
      assertValidTenantId(tenantId);
      if (!/^[A-Z_]+$/.test(status)) throw new InvalidIdError('status', status, 'not a status name');
      return `${prefix}executions:{${tenantId}}:status:${status}`;
    },
    executionsByWorkflow: (tenantId, workflowId) => {
      assertValidTenantId(tenantId);
      assertValidId(workflowId, 'workflow');
      return `${prefix}executions:{${tenantId}}:workflow:${workflowId}`;
    },
    executionSummaries: (tenantId) => {
      assertValidTenantId(tenantId);
      return `${prefix}execution:summary:{${tenantId}}`;
    },
  };
}
