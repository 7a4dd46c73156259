import { readFile } from 'node:fs/promises';
import { toSeedEvent, toSeedState, withAllTasks, type SeedEventView, type SeedStateView } from '@flunq/engine';
import type { Connection } from './connection.js';

/** Something the user asked for that cannot be done: printed as `error: ...`, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** `register <file>`: registers the definition in a YAML or JSON file. */
export async function register(c: Connection, tenantId: string, file: string) {
  return c.client.registerDefinition(tenantId, await readFile(file, 'utf8'));
}

/** Parses `--input` JSON text, or reads `--input-file`. */
export async function readInput(inputText: string | undefined, inputFile: string | undefined): Promise<unknown> {
  if (inputText !== undefined && inputFile !== undefined) throw new UsageError('give --input or --input-file, not both');
  const text = inputFile !== undefined ? await readFile(inputFile, 'utf8') : (inputText ?? '{}');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`the input is not JSON: ${(error as Error).message}`);
  }
}

/** `show <id>`: the state in the seed's JSON shape. */
export async function show(c: Connection, executionId: string): Promise<SeedStateView> {
  const state = await c.store.readState(executionId);
  if (!state) throw new UsageError(`execution ${executionId} does not exist`);
  return toSeedState(await withAllTasks(c.store, executionId, state), c.serializer);
}

/** `state <id> --at N`: the state as it was right after event N (time travel), in the seed's shape. */
export async function stateAtEvent(c: Connection, executionId: string, at: string): Promise<SeedStateView> {
  const n = Number(at);
  if (!/^\d+$/.test(at)) throw new UsageError(`--at wants an event number, got ${JSON.stringify(at)}`);
  const state = await c.client.stateAt(executionId, n);
  if (!state) throw new UsageError(`execution ${executionId} does not exist`);
  return toSeedState(await withAllTasks(c.store, executionId, state), c.serializer);
}

/** `events <id>`: every event in order, in the seed's shape. */
export async function events(c: Connection, executionId: string): Promise<SeedEventView[]> {
  const all: SeedEventView[] = [];
  let after: string | undefined;
  do {
    const page = await c.store.readEvents(executionId, { limit: 1000, ...(after ? { after } : {}) });
    all.push(...page.events.map(({ event }) => toSeedEvent(event, c.serializer)));
    after = page.nextCursor;
  } while (after);
  return all;
}

/** `start ... --wait`: polls the state until the execution ends or `timeoutMs` passes. */
export async function waitForEnd(c: Connection, executionId: string, timeoutMs: number): Promise<SeedStateView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await show(c, executionId);
    if (TERMINAL.has(view.status) || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
