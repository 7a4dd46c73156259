import { createHash, timingSafeEqual } from 'node:crypto';
import { assertValidTenantId } from '@flunq/redis-store';

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * The API keys and the tenant each belongs to. Lookups compare the SHA-256 of the
 * presented key with every known key's digest in constant time (and always visit every
 * entry), so neither the key's content nor its position leaks through timing.
 */
export class ApiKeys {
  private readonly entries: { readonly digest: Buffer; readonly tenantId: string }[];

  constructor(keys: ReadonlyMap<string, string>) {
    this.entries = [...keys].map(([key, tenantId]) => ({ digest: digest(key), tenantId }));
  }

  /** Number of keys. */
  get size(): number {
    return this.entries.length;
  }

  /** The tenant of `key`, or undefined for an unknown key. */
  tenantOf(key: string): string | undefined {
    const presented = digest(key);
    let found: string | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.tenantId;
    }
    return found;
  }

  /**
   * Parses `key1=tenant-a,key2=tenant-b` (whitespace around entries ignored). Every bad
   * entry is reported in `problems`, by position, without echoing the key itself.
   */
  static parse(text: string): { keys: ApiKeys; problems: string[] } {
    const problems: string[] = [];
    const keys = new Map<string, string>();
    const seenKeys = new Set<string>();
    const entries = text.trim() ? text.split(',') : [];
    entries.forEach((raw, index) => {
      const entry = raw.trim();
      const where = `entry ${index + 1}`;
      const eq = entry.indexOf('=');
      if (eq < 0) return void problems.push(`${where} is not key=tenant`);
      const key = entry.slice(0, eq).trim();
      const tenant = entry.slice(eq + 1).trim();
      const found: string[] = [];
      if (key.length < 16) found.push('the key is shorter than 16 characters');
      else if (/\s/.test(key)) found.push('the key holds whitespace');
      else if (seenKeys.has(key)) found.push('the key is listed twice');
      seenKeys.add(key);
      try {
        assertValidTenantId(tenant);
      } catch (error) {
        found.push(error instanceof Error ? error.message : String(error));
      }
      if (found.length) problems.push(`${where}: ${found.join(', ')}`);
      else keys.set(key, tenant);
    });
    return { keys: new ApiKeys(keys), problems };
  }
}
