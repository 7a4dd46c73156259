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
  /**
   * Content search (see docs/search-index.md). Every key of one tenant carries the hash tag
   * `{<tenantId>}`: one slot per tenant. `search:all:{<tenantId>}`: ZSET of the indexed executions, score `createdAtMs`.
   */
  searchAll(tenantId: string): string;
  /** `search:terms:{<tenantId>}:<executionId>`: STRING, the execution's encoded terms. */
  searchTerms(tenantId: string, executionId: string): string;
  /** `search:eq:{<tenantId>}:<sha1 hex of the term key>`: SET of execution ids. */
  searchEq(tenantId: string, termSha1: string): string;
  /** `search:num:{<tenantId>}:<field>`: ZSET, member `<executionId>\0<value>`, score the value. */
  searchNum(tenantId: string, field: string): string;
  /** `search:str:{<tenantId>}:<field>`: ZSET, member `<value>\0<executionId>`, score 0. */
  searchStr(tenantId: string, field: string): string;
  /** `search:has:{<tenantId>}:<field>`: SET of execution ids. */
  searchHas(tenantId: string, field: string): string;
  /** `search:tmp:{<tenantId>}:<name>`: a search's temporary key, deleted before the search returns. */
  searchTemp(tenantId: string, name: string): string;
  /**
   * `stats:{<tenantId>}:hour:<hour>`: HASH of one hour's execution statistics (counters and
   * histograms, see docs/io-api.md, "Statistics"); `<hour>` is the hour's index since the epoch. Every stats
   * key of a tenant carries the hash tag `{<tenantId>}`.
   */
  statsHour(tenantId: string, hour: number): string;
}

/**
 * Throws {@link InvalidIdError} unless `tenantId` can be used in a definition key: a valid id
 * (see {@link assertValidId}) without `/`, which separates tenant and workflow in the hash tag.
 */
export function assertValidTenantId(tenantId: string): void {
  assertValidId(tenantId, 'tenant');
  if (tenantId.includes('/')) throw new InvalidIdError('tenant', tenantId, 'contains "/"');
}

/** Longest field name of the content index (a part of a key). */
export const MAX_SEARCH_FIELD_LENGTH = 256;

/** Throws {@link InvalidIdError} unless `field` can be a content-index field name: 1..256 characters, no control characters. */
export function assertValidSearchField(field: string): void {
  if (typeof field !== 'string' || field.length === 0) throw new InvalidIdError('search field', String(field), 'empty');
  if (field.length > MAX_SEARCH_FIELD_LENGTH) throw new InvalidIdError('search field', field, `longer than ${MAX_SEARCH_FIELD_LENGTH} characters`);
  if (/\p{Cc}/u.test(field)) throw new InvalidIdError('search field', field, 'contains a control character');
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
  const searchFieldKey = (kind: string, tenantId: string, field: string): string => {
    assertValidTenantId(tenantId);
    assertValidSearchField(field);
    return `${prefix}search:${kind}:{${tenantId}}:${field}`;
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
    searchAll: (tenantId) => {
      assertValidTenantId(tenantId);
      return `${prefix}search:all:{${tenantId}}`;
    },
    searchTerms: (tenantId, executionId) => {
      assertValidTenantId(tenantId);
      assertValidId(executionId);
      return `${prefix}search:terms:{${tenantId}}:${executionId}`;
    },
    searchEq: (tenantId, termSha1) => {
      assertValidTenantId(tenantId);
      if (!/^[0-9a-f]{40}$/.test(termSha1)) throw new InvalidIdError('search term hash', termSha1, 'not a sha1 hex digest');
      return `${prefix}search:eq:{${tenantId}}:${termSha1}`;
    },
    searchNum: (tenantId, field) => searchFieldKey('num', tenantId, field),
    searchStr: (tenantId, field) => searchFieldKey('str', tenantId, field),
    searchHas: (tenantId, field) => searchFieldKey('has', tenantId, field),
    searchTemp: (tenantId, name) => {
      assertValidTenantId(tenantId);
      assertValidId(name, 'temporary key');
      return `${prefix}search:tmp:{${tenantId}}:${name}`;
    },
    statsHour: (tenantId, hour) => {
      assertValidTenantId(tenantId);
      if (!Number.isSafeInteger(hour) || hour < 0) throw new InvalidIdError('stats hour', String(hour), 'not a non-negative integer');
      return `${prefix}stats:{${tenantId}}:hour:${hour}`;
    },
  };
}
