import { existsSync, readFileSync } from 'node:fs';
import type { StoreScript } from '../redis/scripts.js';

// From source the scripts sit beside this file; a build (dist/executions/) reads them from src/.
function loadScript(name: string, file: string): StoreScript {
  const beside = new URL(`./lua/${file}`, import.meta.url);
  const lua = readFileSync(existsSync(beside) ? beside : new URL(`../../src/executions/lua/${file}`, import.meta.url), 'utf8');
  return { name, numberOfKeys: Number(/-(\d+)\.lua$/.exec(file)?.[1]), lua };
}

/** Reply codes of `upsert-execution-11.lua`. */
export enum UpsertReply {
  Written = 1,
  Stale = 0,
  OtherWorkflow = -1,
}

/** Upserts one execution of the index (see the script's header). */
export const upsertExecutionScript = loadScript('upsertExecution', 'upsert-execution-11.lua');
/** Reads one page of the index (see the script's header). */
export const listExecutionsScript = loadScript('listExecutions', 'list-executions-4.lua');
