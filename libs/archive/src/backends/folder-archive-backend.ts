import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ArchiveBackendError, ArchiveConfigError, ArchiveError } from '../errors.js';
import type { ArchiveBackend, ArchiveKeyPage, ListArchiveOptions } from './archive-backend.js';
import { checkBackendKey, checkBackendPrefix, compareKeys, listLimit } from './backend-key.js';

/** Options of `FolderArchiveBackend`. */
export interface FolderArchiveBackendOptions {
  /** Folder that holds the archives; created (with parents) on first write. */
  root: string;
}

/** Errors of a path that is missing, or that is not the kind of entry looked for. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
/** Errors that may pass on a later try. */
const TRANSIENT = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR', 'ETIMEDOUT']);

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Archives as files under a folder: key `a/b/c.flunqarc` is the file `<root>/a/b/c.flunqarc`,
 * so the folder can be browsed, copied or synced as it is. A write goes to a temporary
 * file (`.tmp-*`, never a key since key segments cannot start with `.`) in the target's
 * folder, is fsynced, then renamed over the target, so readers never see part of an
 * object and a crash leaves the old one. Folders emptied by `delete` are left in place.
 * A key cannot also be the folder of other keys (`a` and `a/b`): such a put fails.
 */
export class FolderArchiveBackend implements ArchiveBackend {
  readonly name = 'folder';
  /** Absolute path of the root folder. */
  readonly root: string;

  constructor(options: FolderArchiveBackendOptions) {
    if (typeof options.root !== 'string' || options.root.trim() === '') throw new ArchiveConfigError(['folder backend: root must be a non-empty path']);
    this.root = resolve(options.root);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    checkBackendKey(key);
    const target = this.pathOf(key);
    const folder = dirname(target);
    await this.io('put', key, async () => {
      await mkdir(folder, { recursive: true });
      const temp = join(folder, `.tmp-${randomBytes(8).toString('hex')}`);
      try {
        const handle = await open(temp, 'wx', 0o644);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      await syncFolder(folder);
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    checkBackendKey(key);
    return this.io('get', key, async () => {
      try {
        const bytes = await readFile(this.pathOf(key));
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      } catch (error) {
        if (ABSENT.has(errorCode(error) ?? '')) return undefined;
        throw error;
      }
    });
  }

  async has(key: string): Promise<boolean> {
    checkBackendKey(key);
    return this.io('has', key, async () => {
      try {
        return (await stat(this.pathOf(key))).isFile();
      } catch (error) {
        if (ABSENT.has(errorCode(error) ?? '')) return false;
        throw error;
      }
    });
  }

  async delete(key: string): Promise<void> {
    checkBackendKey(key);
    await this.io('delete', key, async () => {
      try {
        await unlink(this.pathOf(key));
      } catch (error) {
        if (!ABSENT.has(errorCode(error) ?? '') && errorCode(error) !== 'EPERM') throw error;
      }
    });
  }

  async list(prefix: string, options: ListArchiveOptions = {}): Promise<ArchiveKeyPage> {
    checkBackendPrefix(prefix);
    const limit = listLimit(options.limit);
    return this.io('list', prefix, async () => {
      const keys: string[] = [];
      const folderPart = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      for await (const key of this.walk(join(this.root, ...folderPart.split('/')), folderPart, prefix, options.cursor)) {
        if (keys.length === limit) return { keys, nextCursor: keys[keys.length - 1] };
        keys.push(key);
      }
      return { keys };
    });
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  /**
   * Yields the keys under `folder` (whose keys start with `keyPrefix`) that start with
   * `prefix` and come after `cursor`, in ascending UTF-8 order: siblings are visited in
   * the order of `name` for files and `name/` for folders, which is the order of the keys
   * below them; folders wholly before the cursor are not read.
   */
  private async *walk(folder: string, keyPrefix: string, prefix: string, cursor: string | undefined): AsyncGenerator<string> {
    let dirents: Dirent[];
    try {
      dirents = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (ABSENT.has(errorCode(error) ?? '')) return;
      throw error;
    }
    const children = dirents
      .filter((dirent) => !dirent.name.startsWith('.') && (dirent.isFile() || dirent.isDirectory()))
      .map((dirent) => ({ dirent, order: keyPrefix + dirent.name + (dirent.isDirectory() ? '/' : '') }))
      .sort((a, b) => compareKeys(a.order, b.order));
    for (const { dirent, order } of children) {
      if (dirent.isDirectory()) {
        if (!order.startsWith(prefix) && !prefix.startsWith(order)) continue;
        if (cursor !== undefined && !cursor.startsWith(order) && compareKeys(order, cursor) < 0) continue;
        yield* this.walk(join(folder, dirent.name), order, prefix, cursor);
      } else if (order.startsWith(prefix) && (cursor === undefined || compareKeys(order, cursor) > 0) && isKey(order)) {
        yield order;
      }
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private async io<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveBackendError(this.name, operation, key, TRANSIENT.has(errorCode(error) ?? ''), { cause: error });
    }
  }
}

/** Whether a file name found on disk is a valid key (files put there by hand may not be). */
function isKey(candidate: string): boolean {
  try {
    checkBackendKey(candidate);
    return true;
  } catch {
    return false;
  }
}

/** Makes a rename durable: fsync of the folder holding it (best effort where folders cannot be opened). */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a folder; the file itself was fsynced.
  } finally {
    await handle?.close();
  }
}
