import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A running S3-compatible server for tests, and what a client needs to reach it. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Buckets created at start. */
  readonly buckets: readonly string[];
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

// Runs in the child: s3rver on a free port, its address printed as one JSON line.
const CHILD = `
const { default: S3rver } = await import(process.env.S3RVER_URL);
const buckets = JSON.parse(process.env.S3RVER_BUCKETS).map((name) => ({ name }));
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR, configureBuckets: buckets });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\\n');
process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

/**
 * Starts s3rver (an S3-compatible HTTP server written for Node) in a child process on a
 * free port, with the given buckets. It runs apart from the test process, as MinIO
 * would, and under `--openssl-legacy-provider` because it pages listings with a cipher
 * OpenSSL 3 keeps there. The child ends with its parent (its stdin closes).
 */
export async function startS3TestServer(buckets: readonly string[] = ['flunq-archive']): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'flunq-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--input-type=module', '-e', CHILD], {
    env: {
      PATH: process.env['PATH'] ?? '',
      S3RVER_URL: pathToFileURL(createRequire(import.meta.url).resolve('s3rver')).href,
      S3RVER_DIR: directory,
      S3RVER_BUCKETS: JSON.stringify(buckets),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${String(code)} before it listened: ${stderr.slice(0, 2000)}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    buckets,
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
