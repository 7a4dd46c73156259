import { existsSync, readFileSync } from 'node:fs';

/** Reply codes of the Lua scripts (see each script's header). */
export enum ScriptReply {
  Appended = 1,
  Duplicate = 0,
  VersionConflict = -1,
  NotBinaryState = -2,
  StateVersionMismatch = -3,
  StreamAhead = -4,
}

/** Reply codes of `register-definition-2.lua`. */
export enum DefinitionReply {
  Created = 1,
  Unchanged = 0,
  Conflict = -1,
}

/** A Lua script of the store: its file name says `<name>-<number of keys>.lua`. */
export interface StoreScript {
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

// From source the scripts sit beside this file; a build (dist/redis/) reads them from src/.
function readLua(file: string): string {
  const beside = new URL(`./lua/${file}`, import.meta.url);
  return readFileSync(existsSync(beside) ? beside : new URL(`../../src/redis/lua/${file}`, import.meta.url), 'utf8');
}

function loadScript(file: string): StoreScript {
  const match = /^(.+)-(\d+)\.lua$/.exec(file);
  if (!match) throw new Error(`script file ${file} is not named <name>-<keys>.lua`);
  return {
    name: match[1]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    numberOfKeys: Number(match[2]),
    lua: readLua(file),
  };
}

/** The scripts, read once from `./lua/`. */
export const recordEventScript = loadScript('record-event-3.lua');
/** Registers one workflow definition version (see the script's header). */
export const registerDefinitionScript = loadScript('register-definition-2.lua');
/** Writes an archived execution's keys back when none exists (see the script's header). */
export const restoreExecutionScript = loadScript('restore-execution-4.lua');
/** Removes an archived execution's keys if unchanged and leaves a tombstone (see the script's header). */
export const purgeExecutionScript = loadScript('purge-execution-5.lua');
/** Replaces an execution's state and stream if unchanged, keeping their TTLs (see the script's header). */
export const rewriteExecutionScript = loadScript('rewrite-execution-2.lua');
/** Reads an execution's keys and tombstone in one call (see the script's header). */
export const readExecutionScript = loadScript('read-execution-5.lua');
