import { describe, expect, test } from 'vitest';
import { ArchiveConfigError } from '../errors.js';
import { archiveSettingsFromEnv, createArchiveBackend } from './archive-settings.js';
import { FolderArchiveBackend } from './folder-archive-backend.js';
import { S3ArchiveBackend } from './s3-archive-backend.js';

const S3_ENV = {
  FLUNQ_ARCHIVE_BACKEND: 's3',
  FLUNQ_ARCHIVE_S3_ENDPOINT: 'http://minio:9000',
  FLUNQ_ARCHIVE_S3_BUCKET: 'flunq-archive',
  FLUNQ_ARCHIVE_S3_ACCESS_KEY_ID: 'minio',
  FLUNQ_ARCHIVE_S3_SECRET_ACCESS_KEY: 'minio-secret',
};

function configError(run: () => unknown): ArchiveConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArchiveConfigError) return error;
    throw error;
  }
  throw new Error('expected an ArchiveConfigError');
}

describe('archiveSettingsFromEnv', () => {
  test('defaults to a folder under .flunq', () => {
    expect(archiveSettingsFromEnv({})).toEqual({ backend: 'folder', root: '.flunq/archive' });
    expect(archiveSettingsFromEnv({ FLUNQ_ARCHIVE_BACKEND: ' ', FLUNQ_ARCHIVE_DIR: '/var/lib/flunq' })).toEqual({ backend: 'folder', root: '/var/lib/flunq' });
  });

  test('s3 with defaults for region and path style', () => {
    expect(archiveSettingsFromEnv(S3_ENV)).toEqual({
      backend: 's3',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'flunq-archive',
      accessKeyId: 'minio',
      secretAccessKey: 'minio-secret',
      forcePathStyle: true,
    });
  });

  test('s3 with every setting', () => {
    const settings = archiveSettingsFromEnv({ ...S3_ENV, FLUNQ_ARCHIVE_S3_REGION: 'eu-west-3', FLUNQ_ARCHIVE_S3_FORCE_PATH_STYLE: 'FALSE', FLUNQ_ARCHIVE_S3_PREFIX: 'prod/archive' });
    expect(settings).toMatchObject({ region: 'eu-west-3', forcePathStyle: false, prefix: 'prod/archive' });
  });

  test('names every missing or bad s3 setting at once', () => {
    const error = configError(() => archiveSettingsFromEnv({ FLUNQ_ARCHIVE_BACKEND: 's3', FLUNQ_ARCHIVE_S3_ENDPOINT: 'minio:9000', FLUNQ_ARCHIVE_S3_FORCE_PATH_STYLE: 'maybe' }));
    expect(error.code).toBe('ARCHIVE_CONFIG');
    expect(error.problems).toHaveLength(5);
    for (const name of ['BUCKET', 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'ENDPOINT', 'FORCE_PATH_STYLE']) {
      expect(error.message).toContain(`FLUNQ_ARCHIVE_S3_${name}`);
    }
  });

  test('refuses an unknown backend', () => {
    expect(configError(() => archiveSettingsFromEnv({ FLUNQ_ARCHIVE_BACKEND: 'gcs' })).message).toContain('FLUNQ_ARCHIVE_BACKEND');
  });
});

describe('createArchiveBackend', () => {
  test('builds the backend the settings name', async () => {
    const folder = createArchiveBackend({ backend: 'folder', root: 'somewhere' });
    expect(folder).toBeInstanceOf(FolderArchiveBackend);
    const s3 = createArchiveBackend(archiveSettingsFromEnv(S3_ENV));
    expect(s3).toBeInstanceOf(S3ArchiveBackend);
    expect(s3.name).toBe('s3');
    await Promise.all([folder.close(), s3.close()]);
  });

  test('refuses incomplete settings', () => {
    expect(() => createArchiveBackend({ backend: 's3', region: 'us-east-1', bucket: '', accessKeyId: '', secretAccessKey: '' })).toThrow(ArchiveConfigError);
    expect(() => createArchiveBackend({ backend: 'ftp' } as never)).toThrow(ArchiveConfigError);
  });
});
