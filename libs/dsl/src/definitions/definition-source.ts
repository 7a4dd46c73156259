import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { DefinitionError, type DefinitionProblem } from './definition-error.js';

/** Bounds on a definition's source, so hostile documents are refused cheaply. */
export interface DefinitionLimits {
  /** Largest source text in bytes (UTF-8). Default 1 MiB. */
  readonly maxBytes: number;
  /** Deepest nesting of maps and lists. Default 64. */
  readonly maxDepth: number;
  /** Most YAML aliases (anchors reused); guards against "billion laughs". Default 100. */
  readonly maxAliases: number;
}

/** Defaults of {@link DefinitionLimits}. */
export const DEFAULT_DEFINITION_LIMITS: DefinitionLimits = Object.freeze({ maxBytes: 1024 * 1024, maxDepth: 64, maxAliases: 100 });

/** A parsed source: the plain value and a way to find where a JSON pointer sits in the text. */
export interface DefinitionSource {
  readonly value: unknown;
  locate(pointer: string): { line: number; column: number } | undefined;
}

function decodePointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function checkDepth(value: unknown, maxDepth: number): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) throw new DefinitionError([{ path: '', message: `nested deeper than ${maxDepth} levels` }]);
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
}

function locator(doc: Document, lines: LineCounter) {
  return (pointer: string) => {
    const segments = decodePointer(pointer);
    let node: unknown = doc.contents;
    for (const segment of segments) {
      if (isMap(node)) node = node.items.find((pair) => String((pair.key as { value?: unknown })?.value ?? pair.key) === segment)?.value;
      else if (isSeq(node)) node = node.items[Number(segment)];
      else return undefined;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (!range) return undefined;
    const { line, col } = lines.linePos(range[0]);
    return { line, column: col };
  };
}

/** A hint for the commonest YAML mistake in workflow definitions: an unquoted `${ ... }` holding `{` or `: `. */
function hintFor(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', offset) === -1 ? undefined : text.indexOf('\n', offset));
  return /:\s*\$\{/.test(line) && !/:\s*['"]\$\{/.test(line) ? " (quote runtime expressions in YAML: '${ ... }')" : '';
}

/**
 * Parses a definition written in YAML or JSON (JSON is YAML), within the limits: size is
 * checked before parsing, aliases while parsing, depth after. Syntax errors name the line.
 */
export function readDefinitionSource(text: string, limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS): DefinitionSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) throw new DefinitionError([{ path: '', message: `definition is ${bytes} bytes, over the limit of ${limits.maxBytes}` }]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length) {
    // The first few: after one syntax error the parser reports its consequences too.
    const problems: DefinitionProblem[] = doc.errors.slice(0, 3).map((error) => {
      const at = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      return { path: '', message: `not valid YAML/JSON: ${error.message.split('\n')[0]}${hintFor(text, error.pos[0])}`, ...(at ? { line: at.line, column: at.col } : {}) };
    });
    throw new DefinitionError(problems);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (error) {
    throw new DefinitionError([{ path: '', message: `not usable YAML: ${(error as Error).message}` }]);
  }
  checkDepth(value, limits.maxDepth);
  return { value, locate: locator(doc, lines) };
}
