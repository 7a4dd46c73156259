import type { QueryValue } from './ast.js';
import {
  documentPart,
  isPlainObject,
  MAX_ARRAY_NESTING,
  type QueryDocument,
  resolveOptions,
  type ScalarKind,
  searchableScalar,
  type SearchOptions,
} from './document.js';

/** One searchable scalar leaf of a document: array indices are dropped from the path. */
export type IndexTerm =
  | { path: string[]; kind: 'string'; value: string }
  | { path: string[]; kind: 'number'; value: number }
  | { path: string[]; kind: 'boolean'; value: boolean }
  | { path: string[]; kind: 'null'; value: null };

/** What an index stores for one document: its searchable leaves and every existing path. */
export interface DocumentIndex {
  /** Distinct searchable leaves (equality, prefix and range queries), in document order. */
  terms: IndexTerm[];
  /** Distinct paths that exist (`exists(path)`, and the "exists" half of `!=`), in document order. */
  paths: string[][];
}

export function kindOf(value: QueryValue): ScalarKind {
  return value === null ? 'null' : (typeof value as 'string' | 'number' | 'boolean');
}

/**
 * Canonical key of the equality set of `path = value`: JSON of `[path, kind, value]`. Distinct
 * (path, value) pairs give distinct keys (`"1"` and `1`, `["a.b"]` and `["a","b"]` differ).
 */
export function termKey(path: readonly string[], value: QueryValue): string {
  return JSON.stringify([path, kindOf(value), value === 0 ? 0 : value]);
}

/** Canonical key of a path (for the set of documents where it exists): JSON of the segments. */
export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** The searchable leaves of a document (see `indexDocument`). */
export function indexTerms(document: QueryDocument, options?: SearchOptions): IndexTerm[] {
  return indexDocument(document, options).terms;
}

/** The existing paths of a document (see `indexDocument`). */
export function indexPaths(document: QueryDocument, options?: SearchOptions): string[][] {
  return indexDocument(document, options).paths;
}

/**
 * Everything an index needs to answer queries exactly as `matches` does with the same options:
 * leaves deeper than `maxDepth` are left out (queries cannot reach them), strings longer than
 * `maxValueLength` give no term (their path is still listed in `paths`).
 */
export function indexDocument(document: QueryDocument, options?: SearchOptions): DocumentIndex {
  const { maxDepth, maxValueLength } = resolveOptions(options);
  const terms: IndexTerm[] = [];
  const paths: string[][] = [];
  const seenTerms = new Set<string>();
  const seenPaths = new Set<string>();

  const addPath = (path: string[]): void => {
    const key = pathKey(path);
    if (!seenPaths.has(key)) {
      seenPaths.add(key);
      paths.push(path);
    }
  };
  const walk = (value: unknown, path: string[], depth: number, limit: number, arrays: number): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      if (arrays >= MAX_ARRAY_NESTING) return;
      for (const element of value) walk(element, path, depth, limit, arrays + 1);
    } else if (isPlainObject(value)) {
      if (depth >= limit) return;
      for (const key of Object.keys(value)) {
        const child = value[key];
        if (child === undefined) continue;
        const childPath = [...path, key];
        addPath(childPath);
        walk(child, childPath, depth + 1, limit, 0);
      }
    } else {
      const scalar = searchableScalar(value, maxValueLength);
      if (!scalar) return;
      const key = termKey(path, scalar.value);
      if (!seenTerms.has(key)) {
        seenTerms.add(key);
        terms.push({ path, ...scalar });
      }
    }
  };
  const part = (path: string[], limit: number): void => {
    const value = documentPart(document, path);
    if (value === undefined) return;
    addPath(path);
    walk(value, path, 0, limit, 0);
  };

  part(['status'], 0);
  part(['workflow'], 0);
  part(['created'], 0);
  part(['input'], maxDepth);
  part(['output'], maxDepth);
  part(['variables'], maxDepth);
  const tasks = (document as unknown as Record<string, unknown>)['tasks'];
  if (isPlainObject(tasks) && Object.hasOwn(document, 'tasks')) {
    for (const name of Object.keys(tasks)) {
      part(['task', name, 'input'], maxDepth);
      part(['task', name, 'output'], maxDepth);
    }
  }
  return { terms, paths };
}
