import { QUERY_LIMITS, rootLength } from './ast.js';

/** What a query runs over: one execution's content. */
export interface QueryDocument {
  status: string;
  workflow: string;
  /** Creation time, ms since the epoch. */
  created: number;
  input?: unknown;
  output?: unknown;
  variables?: unknown;
  tasks?: Record<string, { input?: unknown; output?: unknown }>;
}

/**
 * What is searchable. `matches` and `indexTerms` take the same options, so the index answers
 * exactly what the reference evaluator answers.
 */
export interface SearchOptions {
  /** Path segments below the document part that are searchable (default 8 = the query limit). */
  maxDepth?: number;
  /** Strings longer than this (UTF-16 code units) match no `=` / `^=`, only `exists` and `!=` (default 128). */
  maxValueLength?: number;
}

export type ScalarKind = 'string' | 'number' | 'boolean' | 'null';
export type Scalar = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null'; value: null };

/** Arrays nested directly in arrays deeper than this are not searched (a guard; JSON rarely nests so). */
export const MAX_ARRAY_NESTING = 32;

export function resolveOptions(options: SearchOptions | undefined): Required<SearchOptions> {
  return {
    maxDepth: options?.maxDepth ?? QUERY_LIMITS.maxPathDepth,
    maxValueLength: options?.maxValueLength ?? QUERY_LIMITS.maxValueLength,
  };
}

/** The searchable scalar a value is, if any: strings up to `maxValueLength`, finite numbers, booleans, null. */
export function searchableScalar(value: unknown, maxValueLength: number): Scalar | undefined {
  switch (typeof value) {
    case 'string':
      return value.length <= maxValueLength ? { kind: 'string', value } : undefined;
    case 'number':
      return Number.isFinite(value) ? { kind: 'number', value: value === 0 ? 0 : value } : undefined;
    case 'boolean':
      return { kind: 'boolean', value };
    default:
      return value === null ? { kind: 'null', value: null } : undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property, `undefined` for inherited ones (`constructor`, `__proto__`, ...). */
export function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The value of a document part named by the first segments of a path (`input`, `task.t.output`, `status`...). */
export function documentPart(document: QueryDocument, path: readonly string[]): unknown {
  const doc = document as unknown as Record<string, unknown>;
  switch (path[0]) {
    case 'input':
    case 'output':
    case 'variables':
    case 'status':
    case 'workflow':
    case 'created':
      return own(doc, path[0]);
    case 'task': {
      const tasks = own(doc, 'tasks');
      if (!isPlainObject(tasks) || path.length < 3) return undefined;
      const task = own(tasks, path[1]!);
      if (!isPlainObject(task) || (path[2] !== 'input' && path[2] !== 'output')) return undefined;
      return own(task, path[2]);
    }
    default:
      return undefined;
  }
}

/** A value found at a path, with the count of arrays it sits directly in (for the nesting guard). */
export interface Found {
  value: unknown;
  arrays: number;
}

/**
 * The values at a path: array elements are entered at any index, at any level (arrays add no
 * path segment). `[]` when the path does not exist or is deeper than `maxDepth`.
 */
export function resolvePath(document: QueryDocument, path: readonly string[], maxDepth: number): Found[] {
  const start = rootLength(path);
  if (path.length - start > maxDepth) return [];
  const out: Found[] = [];
  const visit = (value: unknown, i: number, arrays: number): void => {
    if (value === undefined) return;
    if (i === path.length) {
      out.push({ value, arrays });
      return;
    }
    if (Array.isArray(value)) {
      if (arrays >= MAX_ARRAY_NESTING) return;
      for (const element of value) visit(element, i, arrays + 1);
    } else if (isPlainObject(value)) {
      visit(own(value, path[i]!), i + 1, 0);
    }
  };
  visit(documentPart(document, path), start, 0);
  return out;
}

/** The searchable scalars of found values, array elements included. */
export function scalarsOf(found: readonly Found[], maxValueLength: number): Scalar[] {
  const out: Scalar[] = [];
  const visit = (value: unknown, arrays: number): void => {
    if (Array.isArray(value)) {
      if (arrays >= MAX_ARRAY_NESTING) return;
      for (const element of value) visit(element, arrays + 1);
      return;
    }
    const scalar = searchableScalar(value, maxValueLength);
    if (scalar) out.push(scalar);
  };
  for (const { value, arrays } of found) visit(value, arrays);
  return out;
}
