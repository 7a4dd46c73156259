import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ArchiveBackendError, ArchiveConfigError } from '../errors.js';
import { describeArchiveBackendContract } from '../testing/archive-backend-contract.js';
import { startS3TestServer, type S3TestServer } from '../testing/s3-test-server.js';
import { S3ArchiveBackend, type S3ArchiveBackendOptions } from './s3-archive-backend.js';

// The SDK warns once on Node 20 that its 2027 releases need Node 22; keep test output clean.
vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3TestServer(['flunq-archive', 'other']);
});
afterAll(async () => {
  await server?.stop();
});

function options(extra: Partial<S3ArchiveBackendOptions> = {}): S3ArchiveBackendOptions {
  return {
    endpoint: server.endpoint,
    region: server.region,
    bucket: 'flunq-archive',
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    ...extra,
  };
}

// Two quirks of s3rver that S3 and MinIO do not have: it lists folder by folder (so `a-b`
// comes after `a/...`), and it rewrites an object in place (so a concurrent read can be
// cut short). The contract leaves those two checks out for it.
const s3rver = { orderingTraps: false, atomicReplace: false };
describeArchiveBackendContract('s3 (s3rver)', () => new S3ArchiveBackend(options()), s3rver);
describeArchiveBackendContract('s3 (s3rver) with a key prefix', () => new S3ArchiveBackend(options({ prefix: 'flunq/archive/' })), s3rver);

describe('S3ArchiveBackend', () => {
  test('a prefix puts every object under it and is hidden from keys', async () => {
    const inner = new S3ArchiveBackend(options({ bucket: 'other', prefix: 'tenants' }));
    const whole = new S3ArchiveBackend(options({ bucket: 'other' }));
    try {
      await inner.put('acme/x.flunqarc', new Uint8Array([1, 2]));
      expect((await whole.list('')).keys).toEqual(['tenants/acme/x.flunqarc']);
      expect((await inner.list('acme/')).keys).toEqual(['acme/x.flunqarc']);
      expect(await whole.get('tenants/acme/x.flunqarc')).toEqual(new Uint8Array([1, 2]));
    } finally {
      await whole.delete('tenants/acme/x.flunqarc');
      await Promise.all([inner.close(), whole.close()]);
    }
  });

  test('a missing bucket is a backend error that will not pass by retrying', async () => {
    const backend = new S3ArchiveBackend(options({ bucket: 'no-such-bucket' }));
    try {
      const error = await backend.put('k', new Uint8Array([1])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveBackendError);
      expect(error).toMatchObject({ backend: 's3', operation: 'put', key: 'k', retryable: false });
    } finally {
      await backend.close();
    }
  });

  test('an unreachable server is a backend error worth retrying', async () => {
    const backend = new S3ArchiveBackend(options({ endpoint: 'http://127.0.0.1:9' }));
    try {
      const error = await backend.get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveBackendError);
      expect(error).toMatchObject({ operation: 'get', retryable: true });
    } finally {
      await backend.close();
    }
  });

  test('settings are checked at construction, every problem at once', () => {
    const error = (() => {
      try {
        return new S3ArchiveBackend({ region: '', bucket: '', accessKeyId: 'a', secretAccessKey: '', prefix: '../up' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ArchiveConfigError);
    expect((error as ArchiveConfigError).problems).toHaveLength(4);
  });
});
