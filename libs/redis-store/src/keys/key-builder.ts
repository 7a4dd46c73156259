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
  /** `workflow:snapshots:{<id>}`: HASH of the execution's time-travel snapshots. */
  snapshots(executionId: string): string;
  /** `workflow:blobs:{<id>}`: HASH sha256 hex -> bytes of the execution's claim-checked payloads (stored once each). */
  blobs(executionId: string): string;
  /** `workflow:archived:{<id>}`: STRING, where the execution's archive is once its keys left Redis (see `RawExecutionStore`). */
  archived(executionId: string): string;
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
   * `{<tenantId>}`: one slot per tenant. `search:seq:{<tenantId>}`: HASH of the counters `doc`
   * (the last document number) and `field` (the last field number).
   */
  searchSeq(tenantId: string): string;
  /** `search:fields:{<tenantId>}`: HASH field name -> field number. */
  searchFields(tenantId: string): string;
  /** `search:doc:{<tenantId>}:<executionId>`: STRING, the execution's record (document number, time, terms). */
  searchDoc(tenantId: string, executionId: string): string;
  /** `search:spans:{<tenantId>}`: HASH segment -> `<min createdAtMs>:<max createdAtMs>` of the documents it ever held. */
  searchSpans(tenantId: string): string;
  /** `search:ids:{<tenantId>}:<segment>`: HASH document number -> `<createdAtMs>:<executionId>` (the segment's documents). */
  searchIds(tenantId: string, segment: number): string;
  /**
   * `search:<kind>:{<tenantId>}:<segment>:<part>`: one segment's postings. Kinds: `e` SET of document
   * numbers holding an equality term (part: the term's hash), `h` SET of those having a field,
   * `n` ZSET `<doc>:<value>` by value, `s` ZSET `<text>\0<doc>` at score 0 (part: the field number).
   */
  searchPostings(tenantId: string, kind: SearchPostingKind, segment: number, part: string): string;
  /**
   * `search:r:{<tenantId>}:<field number>:<text hash>`: SET of the segments holding the text as a
   * value of the field: a text equality only reads those segments.
   */
  searchRoute(tenantId: string, fid: number, textHash: string): string;
  /** `<prefix>search:` and `{<tenantId>}`: what the search script builds segment keys from (as {@link KeyBuilder.searchPostings}). */
  searchKeyParts(tenantId: string): { base: string; tag: string };
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

/** Kinds of per-segment posting keys of the content index (see {@link KeyBuilder.searchPostings}). */
export type SearchPostingKind = 'e' | 'h' | 'n' | 's';
const SEARCH_POSTING_KINDS: readonly string[] = ['e', 'h', 'n', 's'];

const segmentName = (segment: number): string => {
  if (!Number.isSafeInteger(segment) || segment < 0) throw new InvalidIdError('search segment', String(segment), 'not a non-negative integer');
  return String(segment);
};

/** Longest field name of the content index. */
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
  const searchTenantKey = (kind: string, tenantId: string): string => {
    assertValidTenantId(tenantId);
    return `${prefix}search:${kind}:{${tenantId}}`;
  };
  return {
    prefix,
    state: (id) => tagged('workflow:state', id),
    events: (id) => tagged('events:workflow', id),
    snapshots: (id) => tagged('workflow:snapshots', id),
    archived: (id) => tagged('workflow:archived', id),
    blobs: (id) => tagged('workflow:blobs', id),
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
    searchSeq: (tenantId) => searchTenantKey('seq', tenantId),
    searchFields: (tenantId) => searchTenantKey('fields', tenantId),
    searchDoc: (tenantId, executionId) => {
      assertValidId(executionId);
      return `${searchTenantKey('doc', tenantId)}:${executionId}`;
    },
    searchSpans: (tenantId) => searchTenantKey('spans', tenantId),
    searchIds: (tenantId, segment) => `${searchTenantKey('ids', tenantId)}:${segmentName(segment)}`,
    searchPostings: (tenantId, kind, segment, part) => {
      if (!SEARCH_POSTING_KINDS.includes(kind)) throw new InvalidIdError('search posting kind', String(kind), 'not one of e, h, n, s');
      if (!/^[0-9A-Za-z_-]{1,32}$/.test(part)) throw new InvalidIdError('search posting part', part, 'not a field number or term hash');
      return `${searchTenantKey(kind, tenantId)}:${segmentName(segment)}:${part}`;
    },
    searchRoute: (tenantId, fid, textHash) => {
      if (!/^[0-9A-Za-z_-]{16}$/.test(textHash)) throw new InvalidIdError('search text hash', textHash, 'not a text hash');
      return `${searchTenantKey('r', tenantId)}:${segmentName(fid)}:${textHash}`;
    },
    searchKeyParts: (tenantId) => {
      assertValidTenantId(tenantId);
      return { base: `${prefix}search:`, tag: `{${tenantId}}` };
    },
    statsHour: (tenantId, hour) => {
      assertValidTenantId(tenantId);
      if (!Number.isSafeInteger(hour) || hour < 0) throw new InvalidIdError('stats hour', String(hour), 'not a non-negative integer');
      return `${prefix}stats:{${tenantId}}:hour:${hour}`;
    },
  };
}
