import { mkdtemp, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ArchiveBackendError, ArchiveConfigError, InvalidArchiveKeyError } from '../errors.js';
import { describeArchiveBackendContract } from '../testing/archive-backend-contract.js';
import { FolderArchiveBackend } from './folder-archive-backend.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'flunq-archive-folder-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describeArchiveBackendContract('folder', () => new FolderArchiveBackend({ root: join(base, 'contract') }));

describe('FolderArchiveBackend', () => {
  test('stores a key as the file of the same path, and leaves no temporary file', async () => {
    const backend = new FolderArchiveBackend({ root: join(base, 'layout', 'nested') });
    await backend.put('acme/2024/11/26/exec-1.flunqarc', new Uint8Array([7]));
    expect((await stat(join(base, 'layout/nested/acme/2024/11/26/exec-1.flunqarc'))).size).toBe(1);
    expect(await readdir(join(base, 'layout/nested/acme/2024/11/26'))).toEqual(['exec-1.flunqarc']);
  });

  test('refuses bad keys before touching the disk', async () => {
    const root = join(base, 'never-created');
    const backend = new FolderArchiveBackend({ root });
    await expect(backend.put('../outside', new Uint8Array([1]))).rejects.toThrow(InvalidArchiveKeyError);
    await expect(backend.put('/etc/passwd', new Uint8Array([1]))).rejects.toThrow(InvalidArchiveKeyError);
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readdir(base)).resolves.not.toContain('outside');
  });

  test('lists nothing under a root that does not exist yet', async () => {
    const backend = new FolderArchiveBackend({ root: join(base, 'absent') });
    expect(await backend.list('')).toEqual({ keys: [] });
    expect(await backend.list('a/b/')).toEqual({ keys: [] });
  });

  test('ignores hidden files, left-over temporaries and names that are not keys', async () => {
    const root = join(base, 'foreign');
    await mkdir(join(root, 't'), { recursive: true });
    await writeFile(join(root, 't', '.tmp-0123'), 'partial');
    await writeFile(join(root, 't', 'back\\slash'), 'x');
    await writeFile(join(root, 't', 'ok'), 'x');
    expect((await new FolderArchiveBackend({ root }).list('')).keys).toEqual(['t/ok']);
  });

  test('a key that is also a folder of keys fails as a backend error', async () => {
    const backend = new FolderArchiveBackend({ root: join(base, 'conflict') });
    await backend.put('a/b', new Uint8Array([1]));
    const error = await backend.put('a', new Uint8Array([2])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveBackendError);
    expect(error).toMatchObject({ backend: 'folder', operation: 'put', key: 'a', retryable: false });
    expect(await backend.get('a')).toBeUndefined();
    expect(await readdir(join(base, 'conflict'))).toEqual(['a']);
  });

  test('needs a root', () => {
    expect(() => new FolderArchiveBackend({ root: ' ' })).toThrow(ArchiveConfigError);
  });
});
