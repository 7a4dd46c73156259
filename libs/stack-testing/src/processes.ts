import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const appsDir = new URL('../../../apps/', import.meta.url).pathname;

/** A service process of the stack, with the JSON log lines it wrote. */
export interface ServiceProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[];
  /** The log line that said it was ready. */
  readonly ready: Record<string, unknown>;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `apps/<app>/src/main.ts` as a real process; resolves once it logs `readyMessage`. */
export async function startService(app: 'worker' | 'executor' | 'io-api', env: Record<string, string>, readyMessage: string): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@flunq/source', 'src/main.ts'], { cwd: `${appsDir}${app}`, env: { ...process.env, LOG_LEVEL: 'info', ...env } });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line };
      }
      lines.push(entry);
      if (entry['msg'] === readyMessage) resolve(entry);
    });
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code} before it was ready: ${stderr}`)));
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    child,
    lines,
    ready,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited)[0];
    },
  };
}
