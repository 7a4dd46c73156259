import { existsSync, readFileSync } from 'node:fs';
import type { StoreScript } from '../redis/scripts.js';

// From source the scripts sit beside this file; a build (dist/search/) reads them from src/.
// Both scripts take a variable number of keys (numberOfKeys 0 = given per call).
function loadScript(name: string, file: string): StoreScript {
  const beside = new URL(`./lua/${file}`, import.meta.url);
  const lua = readFileSync(existsSync(beside) ? beside : new URL(`../../src/search/lua/${file}`, import.meta.url), 'utf8');
  return { name, numberOfKeys: 0, lua };
}

/** Reply codes of `replace-terms.lua`. */
export enum ReplaceReply {
  Applied = 1,
  RecordChanged = 0,
}

/** Replaces or removes one execution's index entries (see the script's header). */
export const replaceTermsScript = loadScript('replaceTerms', 'replace-terms.lua');
/** Removes a batch of executions' index entries (see the script's header). */
export const removeDocsScript = loadScript('removeDocs', 'remove-docs.lua');
/** Returns (assigning new ones) the field numbers of field names (see the script's header). */
export const assignFieldsScript = loadScript('assignFields', 'assign-fields.lua');
/** Computes one page of a search (see the script's header). */
export const searchPageScript = loadScript('searchPage', 'search-page.lua');
