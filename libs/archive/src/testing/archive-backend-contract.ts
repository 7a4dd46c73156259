import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ArchiveBackend } from '../backends/archive-backend.js';
import { compareKeys } from '../backends/backend-key.js';
import { InvalidArchiveError, InvalidArchiveKeyError } from '../errors.js';

/** Keys that every backend must refuse, before any I/O. */
export const INVALID_BACKEND_KEYS: readonly string[] = [
  '',
  '/absolute',
  '../escape',
  'a/../../escape',
  'a/./b',
  'a//b',
  'trailing/',
  '.hidden',
  'back\\slash',
  'nul\u0000byte',
  'line\nbreak',
  'lone\ud800surrogate',
  'k'.repeat(1025),
];

function same(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  return actual !== undefined && Buffer.compare(Buffer.from(actual.buffer, actual.byteOffset, actual.length), Buffer.from(expected)) === 0;
}

async function listAll(backend: ArchiveBackend, prefix: string, limit: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await backend.list(prefix, { limit, ...(cursor === undefined ? {} : { cursor }) });
    expect(page.keys.length).toBeLessThanOrEqual(limit);
    keys.push(...page.keys);
    cursor = page.nextCursor;
    pages += 1;
    expect(pages, 'paging does not end').toBeLessThan(1000);
  } while (cursor !== undefined);
  return { keys, pages };
}

/** Options of `describeArchiveBackendContract`. */
export interface ArchiveBackendContractOptions {
  /**
   * Include keys whose order a folder-by-folder walk gets wrong (`a-b`, `a.b` before
   * `a/...`); default true. Only for running against a test server known to list that
   * way (s3rver does; S3 and MinIO do not), never for a backend of this library.
   */
  orderingTraps?: boolean;
  /**
   * Check that concurrent readers never see part of an object being replaced; default
   * true. Only for a test server that writes objects in place (s3rver does; S3 and MinIO
   * replace objects atomically), never for a backend of this library.
   */
  atomicReplace?: boolean;
}

/**
 * The behaviour every `ArchiveBackend` must have, as a vitest suite: put/get/has/delete,
 * overwrite, missing keys, atomic replacement under concurrent reads, concurrent puts,
 * list ordering, paging and prefixes, and keys refused with `InvalidArchiveKeyError`.
 * `makeBackend` is called once; the suite works under its own random key prefix and
 * removes what it wrote, so it may share a bucket or folder.
 */
export function describeArchiveBackendContract(
  name: string,
  makeBackend: () => ArchiveBackend | Promise<ArchiveBackend>,
  options: ArchiveBackendContractOptions = {},
): void {
  describe(`ArchiveBackend contract: ${name}`, () => {
    let backend: ArchiveBackend;
    const ns = `contract-${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      backend = await makeBackend();
    });

    afterAll(async () => {
      if (backend === undefined) return;
      for (const key of (await listAll(backend, `${ns}/`, 1000)).keys) await backend.delete(key);
      await backend.close();
    });

    test('put, get, has and delete', async () => {
      const key = `${ns}/basic/2024/11/26/exec-1.flunqarc`;
      const bytes = new Uint8Array([...new Uint8Array(256).map((_, i) => i), ...randomBytes(100_000)]);
      await backend.put(key, bytes);
      expect(same(await backend.get(key), bytes)).toBe(true);
      expect(await backend.has(key)).toBe(true);
      await backend.delete(key);
      expect(await backend.get(key)).toBeUndefined();
      expect(await backend.has(key)).toBe(false);
    });

    test('missing keys: get is undefined, has is false, delete succeeds', async () => {
      const key = `${ns}/missing/never-written`;
      expect(await backend.get(key)).toBeUndefined();
      expect(await backend.has(key)).toBe(false);
      await expect(backend.delete(key)).resolves.toBeUndefined();
      expect(await backend.has(`${ns}/missing`)).toBe(false);
    });

    test('an empty object is an object', async () => {
      const key = `${ns}/empty/object`;
      await backend.put(key, new Uint8Array(0));
      expect(await backend.has(key)).toBe(true);
      expect((await backend.get(key))?.length).toBe(0);
    });

    test('put replaces, and writing the same bytes again is fine', async () => {
      const key = `${ns}/overwrite/k`;
      await backend.put(key, new Uint8Array([1, 1, 1]));
      await backend.put(key, new Uint8Array([2, 2]));
      expect(same(await backend.get(key), new Uint8Array([2, 2]))).toBe(true);
      await backend.put(key, new Uint8Array([2, 2]));
      expect(same(await backend.get(key), new Uint8Array([2, 2]))).toBe(true);
      expect((await backend.list(`${ns}/overwrite/`)).keys).toEqual([key]);
    });

    test.skipIf(options.atomicReplace === false)('readers see the old object or the whole new one, never a part', async () => {
      const key = `${ns}/atomic/big`;
      const size = 3 * 1024 * 1024;
      await backend.put(key, new Uint8Array(size).fill(1));
      let writing = true;
      const write = backend.put(key, new Uint8Array(size).fill(2)).finally(() => (writing = false));
      const seen = new Set<number>();
      do {
        const bytes = await backend.get(key);
        expect(bytes?.length).toBe(size);
        const first = bytes?.[0] ?? 0;
        expect(bytes?.every((byte) => byte === first)).toBe(true);
        seen.add(first);
      } while (writing);
      await write;
      expect((await backend.get(key))?.[size - 1]).toBe(2);
      expect([...seen].every((value) => value === 1 || value === 2)).toBe(true);
    });

    test('concurrent puts of different keys all land', async () => {
      const keys = Array.from({ length: 24 }, (_, i) => `${ns}/concurrent/${String(i).padStart(2, '0')}/x`);
      await Promise.all(keys.map((key, i) => backend.put(key, new Uint8Array(1000 + i).fill(i))));
      const stored = await Promise.all(keys.map((key) => backend.get(key)));
      stored.forEach((bytes, i) => expect(same(bytes, new Uint8Array(1000 + i).fill(i)), keys[i]).toBe(true));
      expect((await listAll(backend, `${ns}/concurrent/`, 1000)).keys).toEqual(keys);
    });

    describe('list', () => {
      const names = ['A', 'a/b/c', 'a/c', 'a0', 'ab', 'b/1', 'b/10', 'b/2', 'z', 'é', '中'];
      // Ordering traps: '-' and '.' sort before '/', so a walk folder by folder is not enough.
      if (options.orderingTraps !== false) names.push('a-b', 'a.b', 'b-/x');
      const all = (): string[] => names.map((n) => `${ns}/list/${n}`).sort(compareKeys);

      beforeAll(async () => {
        for (const n of names) await backend.put(`${ns}/list/${n}`, new TextEncoder().encode(n));
      });

      test('returns keys in ascending UTF-8 order', async () => {
        const page = await backend.list(`${ns}/list/`);
        expect(page.keys).toEqual(all());
        expect(page.nextCursor).toBeUndefined();
      });

      test.each([1, 2, 5, 13, 14])('pages of %i return each key once, in order', async (limit) => {
        const { keys, pages } = await listAll(backend, `${ns}/list/`, limit);
        expect(keys).toEqual(all());
        expect(pages).toBeGreaterThanOrEqual(Math.ceil(all().length / limit));
      });

      test('filters by prefix, including a partial last segment', async () => {
        expect((await backend.list(`${ns}/list/b/`)).keys).toEqual([`${ns}/list/b/1`, `${ns}/list/b/10`, `${ns}/list/b/2`]);
        expect((await backend.list(`${ns}/list/b`)).keys).toEqual(all().filter((k) => k.startsWith(`${ns}/list/b`)));
        expect((await backend.list(`${ns}/list/b/1`)).keys).toEqual([`${ns}/list/b/1`, `${ns}/list/b/10`]);
        expect((await backend.list(`${ns}/list/a`)).keys).toEqual(all().filter((k) => k.startsWith(`${ns}/list/a`)));
        expect((await backend.list(`${ns}/list/a/`)).keys).toEqual([`${ns}/list/a/b/c`, `${ns}/list/a/c`]);
        expect((await backend.list(`${ns}/list/nothing-here/`)).keys).toEqual([]);
        expect((await backend.list(`${ns}-other/`)).keys).toEqual([]);
      });

      test('an empty prefix lists everything, this suite included', async () => {
        const { keys } = await listAll(backend, '', 1000);
        expect(keys).toEqual(expect.arrayContaining(all()));
        expect(keys).toEqual([...keys].sort(compareKeys));
      });

      test('a bad limit is refused', async () => {
        await expect(backend.list(`${ns}/list/`, { limit: 0 })).rejects.toThrow(InvalidArchiveError);
        await expect(backend.list(`${ns}/list/`, { limit: 1.5 })).rejects.toThrow(InvalidArchiveError);
      });
    });

    test.each(INVALID_BACKEND_KEYS.map((key) => [JSON.stringify(key.slice(0, 30)), key]))('key %s is refused by every method', async (_label, key) => {
      await expect(backend.put(key, new Uint8Array([1]))).rejects.toThrow(InvalidArchiveKeyError);
      await expect(backend.get(key)).rejects.toThrow(InvalidArchiveKeyError);
      await expect(backend.has(key)).rejects.toThrow(InvalidArchiveKeyError);
      await expect(backend.delete(key)).rejects.toThrow(InvalidArchiveKeyError);
      if (key !== '' && key !== 'trailing/') await expect(backend.list(key)).rejects.toThrow(InvalidArchiveKeyError);
    });
  });
}
