import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const SOURCE = new URL('../src', import.meta.url).pathname;
const ALLOWED_PACKAGES = new Set(['@serverlessworkflow/sdk', 'yaml']);
/** Anything that reaches outside the process or schedules work: the engine must do none of it. */
const FORBIDDEN_CALLS = /\b(setTimeout|setInterval|setImmediate|queueMicrotask|fetch|require|XMLHttpRequest|WebSocket)\s*\(|\bprocess\.|\bglobalThis\.process\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** What is wrong with one file's text: imports beyond its own folder and the two parsing packages, or I/O calls. */
function impurities(text: string): string[] {
  const problems: string[] = [];
  for (const [, specifier] of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)) {
    if (specifier && !specifier.startsWith('.') && !ALLOWED_PACKAGES.has(specifier)) problems.push(`imports ${specifier}`);
  }
  const call = FORBIDDEN_CALLS.exec(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''));
  if (call) problems.push(`calls ${call[0]}`);
  return problems;
}

describe('libs/dsl is pure: no Redis, no HTTP, no timers, no process', () => {
  test('the checker notices what it must refuse', () => {
    expect(impurities("import Redis from 'ioredis';")).toEqual(['imports ioredis']);
    expect(impurities("import { get } from 'node:http';")).toEqual(['imports node:http']);
    expect(impurities('const t = setTimeout(() => 1, 5);')).toEqual(['calls setTimeout(']);
    expect(impurities('const env = process.env.X;')).toEqual(['calls process.']);
    expect(impurities("import { x } from './x.js'; // setTimeout( in a comment")).toEqual([]);
  });

  test.each(sourceFiles(SOURCE).map((file) => [file.slice(SOURCE.length + 1), file]))('%s', (_name, file) => {
    expect(impurities(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
