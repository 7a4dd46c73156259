import { existsSync, readFileSync } from 'node:fs';
import type { StoreScript } from '../redis/scripts.js';

// From source the scripts sit beside this file; a build (dist/stats/) reads them from src/.
function loadScript(name: string, file: string): StoreScript {
  const beside = new URL(`./lua/${file}`, import.meta.url);
  const lua = readFileSync(existsSync(beside) ? beside : new URL(`../../src/stats/lua/${file}`, import.meta.url), 'utf8');
  return { name, numberOfKeys: Number(/-(\d+)\.lua$/.exec(file)?.[1]), lua };
}

/** Adds one sample to an hour's hash (see the script's header). */
export const recordStatsScript = loadScript('recordStats', 'record-stats-1.lua');
