import { createHash } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import { ArchiveBackendError, ArchiveConfigError } from '../errors.js';
import type { ArchiveBackend, ArchiveKeyPage, ListArchiveOptions } from './archive-backend.js';
import { checkBackendKey, checkBackendPrefix, listLimit } from './backend-key.js';

/** Options of `S3ArchiveBackend`. */
export interface S3ArchiveBackendOptions {
  /** URL of an S3-compatible server (e.g. MinIO `http://minio:9000`); absent for AWS S3. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the path rather than the host name, as MinIO needs; default true. */
  forcePathStyle?: boolean;
  /** Folder inside the bucket for every key, e.g. `flunq/archive`; default none. */
  prefix?: string;
}

/**
 * The SDK is loaded on first use, not on import: it is large, most users of this library
 * keep archives in a folder, and a test runner that prefers the `module` export
 * condition cannot load the SDK at all (see this library's vitest.config.ts).
 */
let sdk: Promise<typeof S3> | undefined;
const loadSdk = (): Promise<typeof S3> => (sdk ??= import('@aws-sdk/client-s3'));

/** S3 error names that mean "no such object". */
const NOT_FOUND = new Set(['NoSuchKey', 'NotFound']);

/**
 * Archives as objects in an S3-compatible bucket (AWS S3, MinIO). A PutObject is atomic
 * on S3, and carries a Content-MD5 so the server refuses bytes damaged on the way. The
 * bucket must exist. Checksums are sent only where S3 requires them, which is what older
 * S3-compatible servers understand.
 */
export class S3ArchiveBackend implements ArchiveBackend {
  readonly name = 's3';
  private readonly clientOptions: S3.S3ClientConfig;
  private client: Promise<{ client: S3.S3Client; sdk: typeof S3 }> | undefined;
  private readonly bucket: string;
  private readonly keyPrefix: string;

  constructor(options: S3ArchiveBackendOptions) {
    const required = { region: options.region, bucket: options.bucket, accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    const problems = Object.entries(required)
      .filter(([, value]) => typeof value !== 'string' || value === '')
      .map(([name]) => `s3 backend: ${name} is required`);
    if (options.prefix) {
      try {
        checkBackendPrefix(`${options.prefix.replace(/\/+$/, '')}/`);
      } catch (error) {
        problems.push(`s3 backend: prefix ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) throw new ArchiveConfigError(problems);
    this.bucket = options.bucket;
    this.keyPrefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.clientOptions = {
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    checkBackendKey(key);
    await this.call('put', key, ({ client, sdk }) =>
      client.send(
        new sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyPrefix + key,
          Body: bytes,
          ContentLength: bytes.length,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
          ContentType: 'application/octet-stream',
        }),
      ),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    checkBackendKey(key);
    return this.call('get', key, async ({ client, sdk }) => {
      try {
        const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }));
        return object.Body === undefined ? new Uint8Array(0) : await object.Body.transformToByteArray();
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async has(key: string): Promise<boolean> {
    checkBackendKey(key);
    return this.call('has', key, async ({ client, sdk }) => {
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
  }

  async list(prefix: string, options: ListArchiveOptions = {}): Promise<ArchiveKeyPage> {
    checkBackendPrefix(prefix);
    const limit = listLimit(options.limit);
    return this.call('list', prefix, async ({ client, sdk }) => {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyPrefix + prefix,
          MaxKeys: limit,
          ...(options.cursor === undefined ? {} : { ContinuationToken: options.cursor }),
        }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key.slice(this.keyPrefix.length)]));
      return page.IsTruncated && page.NextContinuationToken ? { keys, nextCursor: page.NextContinuationToken } : { keys };
    });
  }

  async delete(key: string): Promise<void> {
    checkBackendKey(key);
    await this.call('delete', key, ({ client, sdk }) => client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key })));
  }

  async close(): Promise<void> {
    const connected = this.client;
    this.client = undefined;
    if (connected !== undefined) (await connected).client.destroy();
  }

  private async call<T>(operation: string, key: string, run: (s3: { client: S3.S3Client; sdk: typeof S3 }) => Promise<T>): Promise<T> {
    this.client ??= loadSdk().then((loaded) => ({ client: new loaded.S3Client(this.clientOptions), sdk: loaded }));
    try {
      return await run(await this.client);
    } catch (error) {
      throw new ArchiveBackendError(this.name, operation, key, isRetryable(error), { cause: error });
    }
  }
}

/** The parts of an SDK error this backend reads. */
interface SdkError {
  name?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

function isNotFound(error: unknown): boolean {
  const failure = error as SdkError | undefined;
  return NOT_FOUND.has(failure?.name ?? '') || failure?.$metadata?.httpStatusCode === 404;
}

/** Server faults, throttling and network failures may pass later; other 4xx answers will not. */
function isRetryable(error: unknown): boolean {
  const failure = error as SdkError | undefined;
  const status = failure?.$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return failure?.$fault === 'server' || status === 429 || status >= 500;
}
