import { parseDefinition } from '@flunq/dsl';
import type { DefinitionStore } from '@flunq/redis-store';

/** A definition version an execution refers to is not stored (deleted, or never registered). */
export class DefinitionNotFoundError extends Error {
  readonly code = 'DEFINITION_NOT_FOUND';

  constructor(
    readonly tenantId: string,
    readonly workflowId: string,
    readonly version: string | undefined,
  ) {
    super(`workflow ${workflowId}${version ? ` version ${version}` : ''} of tenant ${tenantId} is not registered`);
    this.name = 'DefinitionNotFoundError';
  }
}

/** A parsed definition with the version it is. */
export interface ResolvedDefinition {
  readonly version: string;
  readonly definition: unknown;
}

/** Default number of parsed definitions kept. */
export const DEFINITION_CACHE_SIZE = 256;

/**
 * Parsed definitions by (tenant, workflow, version), read from the definition store once
 * and kept (versions are immutable, so entries never go stale; least recently used go first).
 */
export class DefinitionCache {
  private readonly parsed = new Map<string, ResolvedDefinition>();

  constructor(
    private readonly store: DefinitionStore,
    private readonly capacity = DEFINITION_CACHE_SIZE,
  ) {}

  /** The definition at `version` (the latest when absent), parsed. @throws DefinitionNotFoundError */
  async resolve(tenantId: string, workflowId: string, version?: string): Promise<ResolvedDefinition> {
    const key = version === undefined ? undefined : `${tenantId}/${workflowId}@${version}`;
    const hit = key === undefined ? undefined : this.parsed.get(key);
    if (hit && key) {
      this.parsed.delete(key);
      this.parsed.set(key, hit);
      return hit;
    }
    const stored = await this.store.get({ tenantId, workflowId, ...(version === undefined ? {} : { version }) });
    if (!stored) throw new DefinitionNotFoundError(tenantId, workflowId, version);
    // "Latest" must be read each time (it moves), but the version it names may be parsed already.
    const versionKey = `${tenantId}/${workflowId}@${stored.version}`;
    const known = this.parsed.get(versionKey);
    if (known) return known;
    const resolved = { version: stored.version, definition: parseDefinition(stored.source) };
    if (this.parsed.size >= this.capacity) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(versionKey, resolved);
    return resolved;
  }
}
