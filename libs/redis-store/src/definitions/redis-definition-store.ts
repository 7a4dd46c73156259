import { Redis } from 'ioredis';
import { CorruptedDataError } from '@flunq/serializer';
import { StorageFailureError } from '../errors/store-errors.js';
import { createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { createScriptRunner } from '../redis/redis-client.js';
import { registerDefinitionScript } from '../redis/scripts.js';
import {
  assertValidVersion,
  assertWorkflowRef,
  checkListOptions,
  decodeDefinitionSource,
  definitionResult,
  LATEST_FIELD,
  prepareDefinition,
  resolveMaxSourceBytes,
  versionFields,
} from './definition-record.js';
import type {
  DefinitionStore,
  DefinitionVersionInfo,
  GetDefinitionInput,
  ListWorkflowsOptions,
  RegisterDefinitionInput,
  RegisterDefinitionResult,
  StoredDefinition,
  WorkflowDefinitionSummary,
  WorkflowPage,
  WorkflowRef,
} from './definition-store.js';

/** The Redis commands the definition store uses; an ioredis `Redis` or `Cluster` satisfies it. */
export type DefinitionRedisClient = Pick<Redis, 'hget' | 'hmget' | 'hmgetBuffer' | 'lrange' | 'llen' | 'zadd' | 'zrangebylex' | 'evalsha' | 'eval' | 'quit'>;

/** Options of {@link RedisDefinitionStore}. */
export interface RedisDefinitionStoreOptions {
  /**
   * A connected client (a `Redis` or a `Cluster`), or a URL (default `redis://localhost:6379`)
   * for a client the store owns and closes.
   */
  readonly redis?: DefinitionRedisClient | string;
  /** Deployment namespace prepended to every key, e.g. `prod:`. Default none. */
  readonly keyPrefix?: string;
  /** Largest source accepted, in UTF-8 bytes. Default 1 MiB. */
  readonly maxSourceBytes?: number;
}

/** A Buffer over the same memory (ioredis sends Buffers as binary). */
const bufferView = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The Redis adapter of {@link DefinitionStore}. One Lua script registers a version (record,
 * version list and `latest` in one slot, keyed by the `{<tenantId>/<workflowId>}` hash tag),
 * so it works on Redis Cluster; the tenant's workflow index is updated right after.
 */
export class RedisDefinitionStore implements DefinitionStore {
  readonly keys: KeyBuilder;
  readonly maxSourceBytes: number;
  private readonly client: DefinitionRedisClient;
  private readonly ownsClient: boolean;
  private readonly registerScript: ReturnType<typeof createScriptRunner>;

  constructor(options: RedisDefinitionStoreOptions = {}) {
    this.keys = createKeyBuilder(options.keyPrefix);
    this.maxSourceBytes = resolveMaxSourceBytes(options.maxSourceBytes);
    const redis = options.redis ?? 'redis://localhost:6379';
    this.ownsClient = typeof redis === 'string';
    this.client = typeof redis === 'string' ? new Redis(redis) : redis;
    this.registerScript = createScriptRunner(this.client, registerDefinitionScript);
  }

  async register(input: RegisterDefinitionInput): Promise<RegisterDefinitionResult> {
    const record = prepareDefinition(input, this.maxSourceBytes);
    const { tenantId, workflowId } = record;
    const reply = await this.run('register', () =>
      this.registerScript(
        [this.keys.definition(tenantId, workflowId), this.keys.definitionVersions(tenantId, workflowId)],
        [record.version, record.sha256, String(record.registeredAtMs), String(record.codec), String(record.size), bufferView(record.data)],
      ),
    );
    if (!Array.isArray(reply) || reply.length !== 2) throw new StorageFailureError('register: unexpected reply');
    const result = definitionResult(record, Number(reply[0]), String(reply[1]));
    // Derived data, outside the script (another slot): re-added on every successful call, so a
    // register that failed here is repaired by retrying it (which then reports `unchanged`).
    await this.run('register: index', () => this.client.zadd(this.keys.definitionIndex(tenantId), 0, workflowId));
    return result;
  }

  async get(input: GetDefinitionInput): Promise<StoredDefinition | undefined> {
    assertWorkflowRef(input);
    if (input.version !== undefined) assertValidVersion(input.version);
    const { tenantId, workflowId } = input;
    const key = this.keys.definition(tenantId, workflowId);
    // Versions never change once written, so reading `latest` first and then its record is consistent.
    const version = input.version ?? (await this.run('get', () => this.client.hget(key, LATEST_FIELD)));
    if (version === null) return undefined;
    const f = versionFields(version);
    const [sha, at, codec, size, src] = await this.run('get', () => this.client.hmgetBuffer(key, f.sha256, f.at, f.codec, f.size, f.src));
    const what = `workflow definition ${tenantId}/${workflowId}@${version}`;
    if (!sha) {
      if (input.version !== undefined) return undefined;
      throw new CorruptedDataError(what, 'latest names a version that is not stored');
    }
    if (!at || !codec || !size || !src) throw new CorruptedDataError(what, 'record fields are missing');
    const sha256 = sha.toString('latin1');
    const source = decodeDefinitionSource(
      what,
      { codec: Number(codec.toString('latin1')), size: Number(size.toString('latin1')), sha256, data: new Uint8Array(src.buffer, src.byteOffset, src.byteLength) },
      this.maxSourceBytes,
    );
    return { tenantId, workflowId, version, source, sha256, registeredAtMs: Number(at.toString('latin1')) };
  }

  async listVersions(ref: WorkflowRef): Promise<DefinitionVersionInfo[]> {
    assertWorkflowRef(ref);
    const { tenantId, workflowId } = ref;
    const versions = await this.run('listVersions', () => this.client.lrange(this.keys.definitionVersions(tenantId, workflowId), 0, -1));
    if (versions.length === 0) return [];
    const fields = versions.flatMap((v) => [versionFields(v).sha256, versionFields(v).at]);
    const values = await this.run('listVersions', () => this.client.hmget(this.keys.definition(tenantId, workflowId), ...fields));
    return versions.map((version, i) => {
      const sha256 = values[2 * i];
      const at = values[2 * i + 1];
      if (!sha256 || !at) throw new CorruptedDataError(`workflow definition ${tenantId}/${workflowId}@${version}`, 'listed but not stored');
      return { version, sha256, registeredAtMs: Number(at) };
    });
  }

  async listWorkflows(options: ListWorkflowsOptions): Promise<WorkflowPage> {
    const { limit, cursor } = checkListOptions(options);
    const { tenantId } = options;
    const ids = await this.run('listWorkflows', () =>
      this.client.zrangebylex(this.keys.definitionIndex(tenantId), cursor === undefined ? '-' : `(${cursor}`, '+', 'LIMIT', 0, limit + 1),
    );
    const page = ids.slice(0, limit);
    // One slot per workflow: separate commands (ioredis pipelines them on the connection).
    const rows = await this.run('listWorkflows', () =>
      Promise.all(
        page.map(async (workflowId) => {
          const [latest, count] = await Promise.all([
            this.client.hget(this.keys.definition(tenantId, workflowId), LATEST_FIELD),
            this.client.llen(this.keys.definitionVersions(tenantId, workflowId)),
          ]);
          return latest === null ? undefined : { workflowId, latestVersion: latest, versions: count };
        }),
      ),
    );
    // An index entry without a definition (removed by hand) is skipped; the page may then be short.
    const workflows = rows.filter((row): row is WorkflowDefinitionSummary => row !== undefined);
    const last = page.at(-1);
    return ids.length > limit && last !== undefined ? { workflows, nextCursor: last } : { workflows };
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => undefined);
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StorageFailureError(operation, { cause: error });
    }
  }
}
