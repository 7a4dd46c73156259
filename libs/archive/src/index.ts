/**
 * `@flunq/archive`: the cold-storage form of an execution and where it is kept.
 *
 * - Format: `encodeArchive` turns one execution's stored bytes (state, events,
 *   snapshots, blobs) into one self-describing, compressed, sha256-checked byte string;
 *   `decodeArchive` gives them back byte-equal or throws; `readManifest` reads what an
 *   archive holds without its data; `archiveKey` names its object. Writes format
 *   version 2, reads 1 and 2. `sealArchiveAsync` + `verifySealedArchive` check a stored
 *   copy against what was encoded without decoding it.
 * - Backends: `ArchiveBackend` with a folder and an S3-compatible adapter, built from
 *   settings (`createArchiveBackend`, `archiveSettingsFromEnv`).
 *
 * Test support (the backend contract suite, an S3 test server) is in `@flunq/archive/testing`.
 */
export { encodeArchive, encodeArchiveAsync, sealArchiveAsync } from './format/encode-archive.js';
export { verifySealedArchive } from './format/verify-sealed-archive.js';
export { decodeArchive, decodeArchiveAsync, readManifest } from './format/decode-archive.js';
export { ARCHIVE_KEY_SUFFIX, MAX_KEY_ID_LENGTH, archiveKey, archiveTenantPrefix, parseArchiveKey } from './format/archive-key.js';
export { ARCHIVE_ENTRY_KINDS } from './format/archive-types.js';
export { ARCHIVE_FORMAT_VERSION, ARCHIVE_MAGIC, READABLE_FORMAT_VERSIONS } from './format/header.js';
export { DEFAULT_LEVELS } from './format/codecs.js';
export { DEFAULT_MAX_DATA_BYTES, MAX_ARCHIVE_ENTRIES, MAX_MANIFEST_BYTES } from './format/limits.js';
export type {
  ArchiveCodec,
  ArchiveEntry,
  ArchiveEntryKind,
  ArchiveIdentity,
  ArchiveManifest,
  ArchiveManifestEntry,
  DecodeArchiveOptions,
  EncodeArchiveOptions,
  ExecutionArchive,
  SealedArchive,
} from './format/archive-types.js';
export type { ParsedArchiveKey } from './format/archive-key.js';

export { FolderArchiveBackend } from './backends/folder-archive-backend.js';
export { S3ArchiveBackend } from './backends/s3-archive-backend.js';
export { DEFAULT_ARCHIVE_DIR, DEFAULT_S3_REGION, archiveSettingsFromEnv, createArchiveBackend } from './backends/archive-settings.js';
export { MAX_BACKEND_KEY_BYTES, MAX_LIST_LIMIT, checkBackendKey, checkBackendPrefix, compareKeys } from './backends/backend-key.js';
export type { ArchiveBackend, ArchiveKeyPage, ListArchiveOptions } from './backends/archive-backend.js';
export type { FolderArchiveBackendOptions } from './backends/folder-archive-backend.js';
export type { S3ArchiveBackendOptions } from './backends/s3-archive-backend.js';
export type { ArchiveSettings, FolderArchiveSettings, S3ArchiveSettings } from './backends/archive-settings.js';

export {
  ArchiveBackendError,
  ArchiveConfigError,
  ArchiveCorruptedError,
  ArchiveError,
  ArchiveTooLargeError,
  InvalidArchiveError,
  InvalidArchiveKeyError,
  UnsupportedArchiveVersionError,
} from './errors.js';
export type { ArchiveErrorCode, ArchivePart } from './errors.js';
