import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DefinitionConflictError, DefinitionTooLargeError, InvalidArgumentError, InvalidIdError } from '../errors/store-errors.js';
import type { DefinitionStore } from '../definitions/definition-store.js';

/** What the definition contract suite needs from an adapter besides the port: raw access. */
export interface DefinitionStoreHarness {
  readonly store: DefinitionStore;
  /** `maxSourceBytes` the store was created with. */
  readonly maxSourceBytes: number;
  /** Everything the store holds (every key, type and raw bytes) as canonical text, to compare before and after. */
  rawDump(): Promise<string>;
  /** The raw stored bytes of one version's source (compressed or plain); undefined when absent. */
  storedSource(tenantId: string, workflowId: string, version: string): Promise<Uint8Array | undefined>;
  /** Deletes the tenant's workflow index (derived data), to check that `register` repairs it. */
  dropIndex(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A small DSL 1.0 document; `marker` makes each source distinct. */
export function sampleDefinition(name: string, version: string, marker = ''): string {
  return [
    'document:',
    "  dsl: '1.0.0'",
    '  namespace: test',
    `  name: ${name}`,
    `  version: '${version}'`,
    'do:',
    '  - greet:',
    '      set:',
    `        message: hello ${marker}`,
    '',
  ].join('\n');
}

/** A ~`bytes` DSL document with many tasks (compresses well), with some multi-byte text. */
function largeDefinition(name: string, bytes: number): string {
  const lines = ['document:', "  dsl: '1.0.0'", '  namespace: test', `  name: ${name}`, "  version: '1.0.0'", 'do:'];
  for (let i = 0; Buffer.byteLength(lines.join('\n'), 'utf8') < bytes; i++) {
    lines.push(`  - step${i}:`, '      set:', `        greeting: "grüße ${i} – ✓"`, `        index: ${i}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The behaviour every {@link DefinitionStore} adapter must have. Call inside a test file with
 * a factory for a fresh harness; the same suite runs against memory, Redis and a Redis Cluster.
 */
export function describeDefinitionStoreContract(adapter: string, createHarness: () => Promise<DefinitionStoreHarness>): void {
  describe(`DefinitionStore contract: ${adapter}`, () => {
    let h: DefinitionStoreHarness;
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    test('registers a version and reads it back exactly, by version and as latest', async () => {
      const tenantId = uniqueId('tenant');
      const workflowId = 'order-flow';
      const source = sampleDefinition(workflowId, '1.0.0', 'ünïcødé ✓ 🚀');
      const result = await h.store.register({ tenantId, workflowId, version: '1.0.0', source, registeredAtMs: 1_700_000_000_123 });
      expect(result).toEqual({ outcome: 'created', version: '1.0.0', sha256: sha256(source) });
      const expected = { tenantId, workflowId, version: '1.0.0', source, sha256: sha256(source), registeredAtMs: 1_700_000_000_123 };
      expect(await h.store.get({ tenantId, workflowId, version: '1.0.0' })).toEqual(expected);
      expect(await h.store.get({ tenantId, workflowId })).toEqual(expected);
      expect(await h.store.listVersions({ tenantId, workflowId })).toEqual([{ version: '1.0.0', sha256: sha256(source), registeredAtMs: 1_700_000_000_123 }]);
      expect(await h.store.listWorkflows({ tenantId })).toEqual({ workflows: [{ workflowId, latestVersion: '1.0.0', versions: 1 }] });
    });

    test('defaults registeredAtMs to the current time', async () => {
      const tenantId = uniqueId('tenant');
      const before = Date.now();
      await h.store.register({ tenantId, workflowId: 'wf', version: '1', source: sampleDefinition('wf', '1') });
      const stored = await h.store.get({ tenantId, workflowId: 'wf' });
      expect(stored?.registeredAtMs).toBeGreaterThanOrEqual(before);
      expect(stored?.registeredAtMs).toBeLessThanOrEqual(Date.now());
    });

    test('re-registering the same source is an idempotent no-op', async () => {
      const tenantId = uniqueId('tenant');
      const source = sampleDefinition('wf', '1.0.0');
      await h.store.register({ tenantId, workflowId: 'wf', version: '1.0.0', source, registeredAtMs: 1000 });
      const before = await h.rawDump();
      expect(before).toContain(`workflow:definition:{${tenantId}/wf}`);
      expect(before).toContain(`workflow:definition:versions:{${tenantId}/wf}`);
      expect(before).toContain(`workflow:definitions:{${tenantId}}`);
      const again = await h.store.register({ tenantId, workflowId: 'wf', version: '1.0.0', source, registeredAtMs: 2000 });
      expect(again).toEqual({ outcome: 'unchanged', version: '1.0.0', sha256: sha256(source) });
      expect(await h.rawDump()).toBe(before);
      expect(await h.store.listVersions({ tenantId, workflowId: 'wf' })).toEqual([{ version: '1.0.0', sha256: sha256(source), registeredAtMs: 1000 }]);
    });

    test('a different source for an existing version is a conflict that changes nothing, byte for byte', async () => {
      const tenantId = uniqueId('tenant');
      const workflowId = 'payments';
      const v1 = sampleDefinition(workflowId, '1.0.0', 'a');
      const v2 = largeDefinition(workflowId, 4000);
      await h.store.register({ tenantId, workflowId, version: '1.0.0', source: v1, registeredAtMs: 1 });
      await h.store.register({ tenantId, workflowId, version: '2.0.0', source: v2, registeredAtMs: 2 });
      const before = await h.rawDump();
      const attempt = h.store.register({ tenantId, workflowId, version: '1.0.0', source: sampleDefinition(workflowId, '1.0.0', 'b'), registeredAtMs: 3 });
      await expect(attempt).rejects.toBeInstanceOf(DefinitionConflictError);
      const error = (await attempt.catch((e: unknown) => e)) as DefinitionConflictError;
      expect(error.code).toBe('DEFINITION_CONFLICT');
      expect(error.message).toContain(tenantId);
      expect(error.message).toContain(workflowId);
      expect(error.message).toContain('1.0.0');
      expect(error).toMatchObject({ tenantId, workflowId, version: '1.0.0', storedSha256: sha256(v1) });
      // a compressed version conflicts the same way
      await expect(h.store.register({ tenantId, workflowId, version: '2.0.0', source: `${v2}# changed\n` })).rejects.toBeInstanceOf(DefinitionConflictError);
      expect(await h.rawDump()).toBe(before);
      expect((await h.store.get({ tenantId, workflowId }))?.version).toBe('2.0.0');
      expect((await h.store.get({ tenantId, workflowId, version: '1.0.0' }))?.source).toBe(v1);
    });

    test('latest is the most recently registered new version, not the highest', async () => {
      const tenantId = uniqueId('tenant');
      const workflowId = 'wf';
      const register = (version: string, marker = ''): Promise<unknown> =>
        h.store.register({ tenantId, workflowId, version, source: sampleDefinition(workflowId, version, marker) });
      await register('1.0.0');
      expect((await h.store.get({ tenantId, workflowId }))?.version).toBe('1.0.0');
      await register('2.0.0');
      expect((await h.store.get({ tenantId, workflowId }))?.version).toBe('2.0.0');
      await register('1.5.0-hotfix+build.7');
      expect((await h.store.get({ tenantId, workflowId }))?.version).toBe('1.5.0-hotfix+build.7');
      await register('1.0.0'); // unchanged: latest stays
      expect((await h.store.get({ tenantId, workflowId }))?.version).toBe('1.5.0-hotfix+build.7');
      await expect(register('2.0.0', 'changed')).rejects.toBeInstanceOf(DefinitionConflictError); // conflict: latest stays
      expect((await h.store.get({ tenantId, workflowId }))?.version).toBe('1.5.0-hotfix+build.7');
      expect((await h.store.listVersions({ tenantId, workflowId })).map((v) => v.version)).toEqual(['1.0.0', '2.0.0', '1.5.0-hotfix+build.7']);
      expect((await h.store.listWorkflows({ tenantId })).workflows).toEqual([{ workflowId, latestVersion: '1.5.0-hotfix+build.7', versions: 3 }]);
    });

    test('unknown tenants, workflows and versions read as undefined or empty', async () => {
      const tenantId = uniqueId('tenant');
      expect(await h.store.get({ tenantId, workflowId: 'nothing' })).toBeUndefined();
      expect(await h.store.get({ tenantId, workflowId: 'nothing', version: '1.0.0' })).toBeUndefined();
      expect(await h.store.listVersions({ tenantId, workflowId: 'nothing' })).toEqual([]);
      expect(await h.store.listWorkflows({ tenantId })).toEqual({ workflows: [] });
      await h.store.register({ tenantId, workflowId: 'known', version: '1.0.0', source: sampleDefinition('known', '1.0.0') });
      expect(await h.store.get({ tenantId, workflowId: 'known', version: '9.9.9' })).toBeUndefined();
      expect(await h.store.get({ tenantId: uniqueId('other'), workflowId: 'known' })).toBeUndefined();
    });

    test('tenants and workflows are isolated; workflow ids may hold "/"', async () => {
      const a = uniqueId('tenant');
      const b = uniqueId('tenant');
      await h.store.register({ tenantId: a, workflowId: 'team/orders', version: '1', source: 'a-orders' });
      await h.store.register({ tenantId: a, workflowId: 'team', version: '1', source: 'a-team' });
      await h.store.register({ tenantId: b, workflowId: 'team/orders', version: '1', source: 'b-orders' });
      expect((await h.store.get({ tenantId: a, workflowId: 'team/orders' }))?.source).toBe('a-orders');
      expect((await h.store.get({ tenantId: a, workflowId: 'team' }))?.source).toBe('a-team');
      expect((await h.store.get({ tenantId: b, workflowId: 'team/orders' }))?.source).toBe('b-orders');
      expect(await h.store.get({ tenantId: b, workflowId: 'team' })).toBeUndefined();
      expect((await h.store.listWorkflows({ tenantId: a })).workflows.map((w) => w.workflowId)).toEqual(['team', 'team/orders']);
      expect((await h.store.listWorkflows({ tenantId: b })).workflows.map((w) => w.workflowId)).toEqual(['team/orders']);
    });

    test('invalid ids, versions and sources are typed errors and write nothing', async () => {
      const tenantId = uniqueId('tenant');
      const source = sampleDefinition('wf', '1');
      await h.store.register({ tenantId, workflowId: 'wf', version: '1', source });
      const before = await h.rawDump();
      const attempt = (input: { tenantId?: string; workflowId?: string; version?: string; source?: string; registeredAtMs?: number }) =>
        h.store.register({ tenantId, workflowId: 'wf2', version: '1', source, ...input });

      for (const bad of ['', 'a:b', 'a{b}', 'a b', 'a/b', 'x'.repeat(257), 'tab\there']) {
        const rejection = await attempt({ tenantId: bad }).catch((e: unknown) => e);
        expect(rejection, `tenant ${JSON.stringify(bad)}`).toBeInstanceOf(InvalidIdError);
        expect(rejection).toMatchObject({ code: 'INVALID_ID', kind: 'tenant' });
      }
      for (const bad of ['', 'a:b', '{wf}', 'a b', 'x'.repeat(257), 'nl\n']) {
        const rejection = await attempt({ workflowId: bad }).catch((e: unknown) => e);
        expect(rejection, `workflow ${JSON.stringify(bad)}`).toBeInstanceOf(InvalidIdError);
        expect(rejection).toMatchObject({ code: 'INVALID_ID', kind: 'workflow' });
      }
      for (const bad of ['', 'v 1', 'v:1', '1/2', 'é', '1{2}', 'x'.repeat(65), '1\n']) {
        const rejection = await attempt({ version: bad }).catch((e: unknown) => e);
        expect(rejection, `version ${JSON.stringify(bad)}`).toBeInstanceOf(InvalidArgumentError);
        expect(rejection).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'version' });
      }
      await expect(attempt({ source: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'source' });
      await expect(attempt({ source: 'lone \uD800 surrogate' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'source' });
      await expect(attempt({ version: '2', registeredAtMs: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'registeredAtMs' });
      await expect(attempt({ version: '2', registeredAtMs: 1.5 })).rejects.toBeInstanceOf(InvalidArgumentError);

      const limit = h.maxSourceBytes;
      const oversized = attempt({ version: '3', source: 'x'.repeat(limit + 1) });
      await expect(oversized).rejects.toBeInstanceOf(DefinitionTooLargeError);
      const tooLarge = (await oversized.catch((e: unknown) => e)) as DefinitionTooLargeError;
      expect(tooLarge).toMatchObject({ code: 'DEFINITION_TOO_LARGE', sizeBytes: limit + 1, limitBytes: limit });
      expect(tooLarge.message).toContain(String(limit + 1));
      expect(tooLarge.message).toContain(String(limit));
      // measured in UTF-8 bytes: fewer characters than the limit, more bytes
      const wide = 'é'.repeat(Math.floor(limit / 2) + 1);
      expect(wide.length).toBeLessThan(limit);
      await expect(attempt({ version: '3', source: wide })).rejects.toMatchObject({ code: 'DEFINITION_TOO_LARGE', sizeBytes: wide.length * 2 });
      expect(await h.rawDump()).toBe(before);

      expect((await attempt({ version: 'x'.repeat(64) })).outcome).toBe('created'); // the longest version is fine
      expect((await attempt({ version: '4', source: 'y'.repeat(limit) })).outcome).toBe('created'); // exactly the limit is fine
      expect((await h.store.get({ tenantId, workflowId: 'wf2', version: '4' }))?.source).toHaveLength(limit);
      await expect(h.store.get({ tenantId, workflowId: 'wf2', version: '3' })).resolves.toBeUndefined();
      await expect(h.store.get({ tenantId: 'a:b', workflowId: 'wf' })).rejects.toBeInstanceOf(InvalidIdError);
      await expect(h.store.get({ tenantId, workflowId: 'wf', version: 'v 1' })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(h.store.listVersions({ tenantId, workflowId: '' })).rejects.toBeInstanceOf(InvalidIdError);
      await expect(h.store.listWorkflows({ tenantId: 'a}' })).rejects.toBeInstanceOf(InvalidIdError);
    });

    test('nothing is written by any rejected registration', async () => {
      const tenantId = uniqueId('tenant');
      await h.store.register({ tenantId, workflowId: 'wf', version: '1', source: 'kept' });
      const before = await h.rawDump();
      const rejected = [
        h.store.register({ tenantId: 'bad:tenant', workflowId: 'wf', version: '1', source: 'x' }),
        h.store.register({ tenantId, workflowId: 'bad wf', version: '1', source: 'x' }),
        h.store.register({ tenantId, workflowId: 'wf2', version: 'bad version', source: 'x' }),
        h.store.register({ tenantId, workflowId: 'wf2', version: '1', source: '' }),
        h.store.register({ tenantId, workflowId: 'wf2', version: '1', source: 'z'.repeat(h.maxSourceBytes + 1) }),
        h.store.register({ tenantId, workflowId: 'wf', version: '1', source: 'different' }),
      ];
      const results = await Promise.allSettled(rejected);
      expect(results.map((r) => r.status)).toEqual(Array(rejected.length).fill('rejected'));
      expect(await h.rawDump()).toBe(before);
    });

    test('a 50 KB source is stored compressed and reads back exactly', async () => {
      const tenantId = uniqueId('tenant');
      const source = largeDefinition('big', 50 * 1024);
      const size = Buffer.byteLength(source, 'utf8');
      expect(size).toBeGreaterThanOrEqual(50 * 1024);
      await h.store.register({ tenantId, workflowId: 'big', version: '1.0.0', source });
      const stored = await h.storedSource(tenantId, 'big', '1.0.0');
      expect(stored?.length).toBeGreaterThan(0);
      expect(stored?.length).toBeLessThan(size / 4);
      const read = await h.store.get({ tenantId, workflowId: 'big' });
      expect(read?.source).toBe(source);
      expect(read?.sha256).toBe(sha256(source));
      // under 1 KiB: stored as the plain UTF-8 bytes
      const small = sampleDefinition('small', '1', 'ß');
      await h.store.register({ tenantId, workflowId: 'small', version: '1', source: small });
      expect(Buffer.from((await h.storedSource(tenantId, 'small', '1')) ?? []).toString('utf8')).toBe(small);
    });

    test('listWorkflows pages through 250 workflows sorted by id', async () => {
      const tenantId = uniqueId('tenant');
      const ids = Array.from({ length: 250 }, (_, i) => `wf-${String((i * 37) % 250).padStart(3, '0')}`);
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(ids.slice(i, i + 50).map((workflowId) => h.store.register({ tenantId, workflowId, version: '1', source: sampleDefinition(workflowId, '1') })));
      }
      await h.store.register({ tenantId, workflowId: 'wf-007', version: '2', source: sampleDefinition('wf-007', '2') });
      await h.store.register({ tenantId: uniqueId('other'), workflowId: 'wf-000x', version: '1', source: 'other tenant' });

      const seen: { workflowId: string; latestVersion: string; versions: number }[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.store.listWorkflows({ tenantId, limit: 100, ...(cursor === undefined ? {} : { cursor }) });
        sizes.push(page.workflows.length);
        seen.push(...page.workflows);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(sizes).toEqual([100, 100, 50]);
      expect(seen.map((w) => w.workflowId)).toEqual([...ids].sort());
      expect(seen.find((w) => w.workflowId === 'wf-007')).toEqual({ workflowId: 'wf-007', latestVersion: '2', versions: 2 });
      expect(seen.filter((w) => w.versions === 1)).toHaveLength(249);

      const first = await h.store.listWorkflows({ tenantId });
      expect(first.workflows).toHaveLength(100);
      expect(first.nextCursor).toBe('wf-099');
      const exact = await h.store.listWorkflows({ tenantId, limit: 50, cursor: 'wf-199' });
      expect(exact.workflows.map((w) => w.workflowId)).toEqual([...ids].sort().slice(200));
      expect(exact.nextCursor).toBeUndefined();
      expect((await h.store.listWorkflows({ tenantId, limit: 1000 })).workflows).toHaveLength(250);
      expect(await h.store.listWorkflows({ tenantId, cursor: 'wf-249' })).toEqual({ workflows: [] });

      for (const limit of [0, 1001, 1.5, -1]) {
        await expect(h.store.listWorkflows({ tenantId, limit })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'limit' });
      }
      await expect(h.store.listWorkflows({ tenantId, cursor: 'bad:cursor' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'cursor' });
    });

    test('register repairs the workflow index', async () => {
      const tenantId = uniqueId('tenant');
      const source = sampleDefinition('wf', '1');
      await h.store.register({ tenantId, workflowId: 'wf', version: '1', source });
      await h.dropIndex(tenantId);
      expect(await h.store.listWorkflows({ tenantId })).toEqual({ workflows: [] });
      expect((await h.store.register({ tenantId, workflowId: 'wf', version: '1', source })).outcome).toBe('unchanged');
      expect(await h.store.listWorkflows({ tenantId })).toEqual({ workflows: [{ workflowId: 'wf', latestVersion: '1', versions: 1 }] });
    });

    test('20 concurrent registers of different versions all land', async () => {
      const tenantId = uniqueId('tenant');
      const workflowId = 'busy';
      const versions = Array.from({ length: 20 }, (_, i) => `1.${i}.0`);
      const results = await Promise.all(
        versions.map((version, i) => h.store.register({ tenantId, workflowId, version, source: i % 2 ? largeDefinition(workflowId, 2000 + i) : sampleDefinition(workflowId, version) })),
      );
      expect(results.map((r) => r.outcome)).toEqual(Array(20).fill('created'));
      const listed = await h.store.listVersions({ tenantId, workflowId });
      expect(listed).toHaveLength(20);
      expect(listed.map((v) => v.version).sort()).toEqual([...versions].sort());
      const latest = await h.store.get({ tenantId, workflowId });
      expect(latest?.version).toBe(listed.at(-1)?.version);
      expect((await h.store.listWorkflows({ tenantId })).workflows).toEqual([{ workflowId, latestVersion: latest?.version, versions: 20 }]);
      for (const [i, version] of versions.entries()) {
        expect((await h.store.get({ tenantId, workflowId, version }))?.sha256).toBe(results[i]?.sha256);
      }
    });
  });
}
