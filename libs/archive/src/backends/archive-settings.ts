import { ArchiveConfigError } from '../errors.js';
import type { ArchiveBackend } from './archive-backend.js';
import { FolderArchiveBackend, type FolderArchiveBackendOptions } from './folder-archive-backend.js';
import { S3ArchiveBackend, type S3ArchiveBackendOptions } from './s3-archive-backend.js';

/** Settings of the folder backend. */
export type FolderArchiveSettings = { backend: 'folder' } & FolderArchiveBackendOptions;

/** Settings of the S3 backend. */
export type S3ArchiveSettings = { backend: 's3' } & S3ArchiveBackendOptions;

/** Which backend keeps archives, and its options: plain data, e.g. from `archiveSettingsFromEnv`. */
export type ArchiveSettings = FolderArchiveSettings | S3ArchiveSettings;

/** Folder used by the folder backend when `FLUNQ_ARCHIVE_DIR` is not set. */
export const DEFAULT_ARCHIVE_DIR = '.flunq/archive';

/** Region used when `FLUNQ_ARCHIVE_S3_REGION` is not set. */
export const DEFAULT_S3_REGION = 'us-east-1';

/**
 * Builds the backend the settings name.
 *
 * @throws ArchiveConfigError when the settings are incomplete
 */
export function createArchiveBackend(settings: ArchiveSettings): ArchiveBackend {
  switch (settings.backend) {
    case 'folder':
      return new FolderArchiveBackend({ root: settings.root });
    case 's3': {
      const { backend: _backend, ...options } = settings;
      return new S3ArchiveBackend(options);
    }
    default:
      throw new ArchiveConfigError([`backend must be folder or s3, not ${String((settings as { backend: unknown }).backend)}`]);
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Reads archive settings from environment variables (the caller passes its environment;
 * blank counts as unset):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `FLUNQ_ARCHIVE_BACKEND` | `folder` or `s3` | `folder` |
 * | `FLUNQ_ARCHIVE_DIR` | folder backend root | `.flunq/archive` |
 * | `FLUNQ_ARCHIVE_S3_ENDPOINT` | S3-compatible server URL | AWS |
 * | `FLUNQ_ARCHIVE_S3_REGION` | region | `us-east-1` |
 * | `FLUNQ_ARCHIVE_S3_BUCKET` | bucket (required for s3) | |
 * | `FLUNQ_ARCHIVE_S3_ACCESS_KEY_ID` | access key (required for s3) | |
 * | `FLUNQ_ARCHIVE_S3_SECRET_ACCESS_KEY` | secret key (required for s3) | |
 * | `FLUNQ_ARCHIVE_S3_FORCE_PATH_STYLE` | `true`/`false` | `true` |
 * | `FLUNQ_ARCHIVE_S3_PREFIX` | folder inside the bucket | none |
 *
 * @throws ArchiveConfigError listing every bad or missing variable at once
 */
export function archiveSettingsFromEnv(env: Record<string, string | undefined>): ArchiveSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const problems: string[] = [];
  const backend = read('FLUNQ_ARCHIVE_BACKEND') ?? 'folder';
  if (backend === 'folder') return { backend, root: read('FLUNQ_ARCHIVE_DIR') ?? DEFAULT_ARCHIVE_DIR };
  if (backend !== 's3') throw new ArchiveConfigError([`FLUNQ_ARCHIVE_BACKEND must be folder or s3, not ${JSON.stringify(backend)}`]);

  const required = (name: string): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is required when FLUNQ_ARCHIVE_BACKEND=s3`);
    return value ?? '';
  };
  const bucket = required('FLUNQ_ARCHIVE_S3_BUCKET');
  const accessKeyId = required('FLUNQ_ARCHIVE_S3_ACCESS_KEY_ID');
  const secretAccessKey = required('FLUNQ_ARCHIVE_S3_SECRET_ACCESS_KEY');
  const endpoint = read('FLUNQ_ARCHIVE_S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    problems.push(`FLUNQ_ARCHIVE_S3_ENDPOINT must be an http(s) URL, not ${JSON.stringify(endpoint)}`);
  }
  const pathStyle = read('FLUNQ_ARCHIVE_S3_FORCE_PATH_STYLE')?.toLowerCase();
  if (pathStyle !== undefined && !TRUE.has(pathStyle) && !FALSE.has(pathStyle)) {
    problems.push(`FLUNQ_ARCHIVE_S3_FORCE_PATH_STYLE must be true or false, not ${JSON.stringify(pathStyle)}`);
  }
  if (problems.length > 0) throw new ArchiveConfigError(problems);
  const prefix = read('FLUNQ_ARCHIVE_S3_PREFIX');
  return {
    backend: 's3',
    region: read('FLUNQ_ARCHIVE_S3_REGION') ?? DEFAULT_S3_REGION,
    bucket,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: pathStyle === undefined || TRUE.has(pathStyle),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(prefix === undefined ? {} : { prefix }),
  };
}
