/** Paging of `ArchiveBackend.list`. */
export interface ListArchiveOptions {
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
  /** Most keys in one page, 1..1000; default 1000. */
  limit?: number;
}

/** One page of keys: in ascending byte order of their UTF-8 form; `nextCursor` only when more may follow. */
export interface ArchiveKeyPage {
  keys: string[];
  nextCursor?: string;
}

/**
 * Where archives are kept (a folder, an S3-compatible bucket). Keys are `/`-separated
 * paths checked by `checkBackendKey` on every backend alike, before any I/O.
 *
 * Contract (checked by `describeArchiveBackendContract` from `@flunq/archive/testing`):
 * `put` is atomic: readers see the old object or the whole new one, never a part;
 * writing the same key again replaces it. `get` of a missing key is `undefined`;
 * `delete` of a missing key succeeds. Failures of the storage itself are
 * `ArchiveBackendError`s; bad keys are `InvalidArchiveKeyError`s.
 */
export interface ArchiveBackend {
  /** `folder` or `s3`. */
  readonly name: string;
  /** Stores `bytes` under `key`, atomically, replacing what was there. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The object's bytes, or `undefined` when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Whether an object is stored under `key`. */
  has(key: string): Promise<boolean>;
  /** Keys starting with `prefix` (`''` for all), a page at a time. */
  list(prefix: string, options?: ListArchiveOptions): Promise<ArchiveKeyPage>;
  /** Removes the object; no error when there is none. */
  delete(key: string): Promise<void>;
  /** Releases connections; the backend is not used afterwards. */
  close(): Promise<void>;
}
