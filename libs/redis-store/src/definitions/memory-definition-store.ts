import { CorruptedDataError } from '@flunq/serializer';
import { createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { DefinitionReply } from '../redis/scripts.js';
import {
  assertValidVersion,
  assertWorkflowRef,
  checkListOptions,
  compareIds,
  decodeDefinitionSource,
  definitionResult,
  LATEST_FIELD,
  prepareDefinition,
  resolveMaxSourceBytes,
  versionFields,
  type DefinitionRecord,
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

/** Options of {@link MemoryDefinitionStore}. */
export interface MemoryDefinitionStoreOptions {
  /** Largest source accepted, in UTF-8 bytes. Default 1 MiB. */
  readonly maxSourceBytes?: number;
  /** Clock for the default `registeredAtMs`; default `Date.now`. */
  readonly now?: () => number;
}

/** Everything a {@link MemoryDefinitionStore} holds, by the Redis key and type the Redis adapter would use. */
export interface MemoryDefinitionDump {
  readonly hashes: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly zsets: ReadonlyMap<string, ReadonlySet<string>>;
}

const text = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'utf8'));
const str = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

/**
 * In-memory adapter of {@link DefinitionStore} with the same semantics and stored bytes as
 * the Redis adapter (same key names, hash fields, compression; it passes the same contract
 * suite). For other projects' unit tests; single process, no persistence.
 */
export class MemoryDefinitionStore implements DefinitionStore {
  /** Key names, as the Redis adapter without prefix would use them. */
  readonly keys: KeyBuilder = createKeyBuilder();
  readonly maxSourceBytes: number;
  private readonly now: () => number;
  private readonly hashes = new Map<string, Map<string, Uint8Array>>();
  private readonly lists = new Map<string, string[]>();
  private readonly zsets = new Map<string, Set<string>>();

  constructor(options: MemoryDefinitionStoreOptions = {}) {
    this.maxSourceBytes = resolveMaxSourceBytes(options.maxSourceBytes);
    this.now = options.now ?? Date.now;
  }

  register(input: RegisterDefinitionInput): Promise<RegisterDefinitionResult> {
    try {
      const record = prepareDefinition(input, this.maxSourceBytes, this.now);
      const [code, storedSha] = this.apply(record);
      const result = definitionResult(record, code, storedSha);
      const indexKey = this.keys.definitionIndex(record.tenantId);
      const index = this.zsets.get(indexKey) ?? new Set<string>();
      index.add(record.workflowId);
      this.zsets.set(indexKey, index);
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get(input: GetDefinitionInput): Promise<StoredDefinition | undefined> {
    try {
      assertWorkflowRef(input);
      if (input.version !== undefined) assertValidVersion(input.version);
      const { tenantId, workflowId } = input;
      const hash = this.hashes.get(this.keys.definition(tenantId, workflowId));
      const version = input.version ?? str(hash?.get(LATEST_FIELD));
      if (version === undefined || hash === undefined) return Promise.resolve(undefined);
      const f = versionFields(version);
      const what = `workflow definition ${tenantId}/${workflowId}@${version}`;
      const sha256 = str(hash.get(f.sha256));
      if (sha256 === undefined) {
        if (input.version !== undefined) return Promise.resolve(undefined);
        throw new CorruptedDataError(what, 'latest names a version that is not stored');
      }
      const at = str(hash.get(f.at));
      const codec = str(hash.get(f.codec));
      const size = str(hash.get(f.size));
      const data = hash.get(f.src);
      if (at === undefined || codec === undefined || size === undefined || data === undefined) throw new CorruptedDataError(what, 'record fields are missing');
      const source = decodeDefinitionSource(what, { codec: Number(codec), size: Number(size), sha256, data }, this.maxSourceBytes);
      return Promise.resolve({ tenantId, workflowId, version, source, sha256, registeredAtMs: Number(at) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  listVersions(ref: WorkflowRef): Promise<DefinitionVersionInfo[]> {
    try {
      assertWorkflowRef(ref);
      const { tenantId, workflowId } = ref;
      const versions = this.lists.get(this.keys.definitionVersions(tenantId, workflowId)) ?? [];
      const hash = this.hashes.get(this.keys.definition(tenantId, workflowId));
      return Promise.resolve(
        versions.map((version) => {
          const sha256 = str(hash?.get(versionFields(version).sha256));
          const at = str(hash?.get(versionFields(version).at));
          if (sha256 === undefined || at === undefined) throw new CorruptedDataError(`workflow definition ${tenantId}/${workflowId}@${version}`, 'listed but not stored');
          return { version, sha256, registeredAtMs: Number(at) };
        }),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  listWorkflows(options: ListWorkflowsOptions): Promise<WorkflowPage> {
    try {
      const { limit, cursor } = checkListOptions(options);
      const { tenantId } = options;
      const all = [...(this.zsets.get(this.keys.definitionIndex(tenantId)) ?? [])].sort(compareIds);
      const rest = cursor === undefined ? all : all.filter((id) => compareIds(id, cursor) > 0);
      const page = rest.slice(0, limit);
      const workflows: WorkflowDefinitionSummary[] = [];
      for (const workflowId of page) {
        const latest = str(this.hashes.get(this.keys.definition(tenantId, workflowId))?.get(LATEST_FIELD));
        const count = this.lists.get(this.keys.definitionVersions(tenantId, workflowId))?.length ?? 0;
        if (latest !== undefined) workflows.push({ workflowId, latestVersion: latest, versions: count });
      }
      const last = page.at(-1);
      return Promise.resolve(rest.length > limit && last !== undefined ? { workflows, nextCursor: last } : { workflows });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Test hook: everything stored, by the key and type Redis would hold it under (a copy). */
  inspect(): MemoryDefinitionDump {
    return {
      hashes: new Map([...this.hashes].map(([key, hash]) => [key, new Map([...hash].map(([f, v]) => [f, Uint8Array.from(v)]))])),
      lists: new Map([...this.lists].map(([key, list]) => [key, [...list]])),
      zsets: new Map([...this.zsets].map(([key, set]) => [key, new Set(set)])),
    };
  }

  /** Test hook: removes a key, as `DEL` would (e.g. to damage the workflow index). */
  deleteKey(key: string): void {
    this.hashes.delete(key);
    this.lists.delete(key);
    this.zsets.delete(key);
  }

  // Mirrors register-definition-2.lua step by step.
  private apply(record: DefinitionRecord): [DefinitionReply, string] {
    const key = this.keys.definition(record.tenantId, record.workflowId);
    const f = versionFields(record.version);
    const hash = this.hashes.get(key) ?? new Map<string, Uint8Array>();
    const stored = str(hash.get(f.sha256));
    if (stored !== undefined) return [stored === record.sha256 ? DefinitionReply.Unchanged : DefinitionReply.Conflict, stored];
    hash.set(f.sha256, text(record.sha256));
    hash.set(f.at, text(String(record.registeredAtMs)));
    hash.set(f.codec, text(String(record.codec)));
    hash.set(f.size, text(String(record.size)));
    hash.set(f.src, Uint8Array.from(record.data));
    hash.set(LATEST_FIELD, text(record.version));
    this.hashes.set(key, hash);
    const listKey = this.keys.definitionVersions(record.tenantId, record.workflowId);
    this.lists.set(listKey, [...(this.lists.get(listKey) ?? []), record.version]);
    return [DefinitionReply.Created, record.sha256];
  }
}
