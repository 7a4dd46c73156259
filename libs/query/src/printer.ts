import type { QueryNode, QueryValue } from './ast.js';

/** A bare word that reads as a number (JSON number syntax; `+` in the exponent may be left out). */
export const NUMBER_TEXT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE]-?[0-9]+)?$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const BARE_WORD = /^[A-Za-z0-9_.:-]+$/;

/** Whether a string may be written unquoted as a value and still read back as that string. */
export function isBareWord(text: string): boolean {
  return BARE_WORD.test(text) && !NUMBER_TEXT.test(text) && !['true', 'false', 'null'].includes(text) && !['AND', 'OR', 'NOT'].includes(text.toUpperCase());
}

export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `input.items.sku`, `task."my task".output.n`: segments joined by dots, quoted when not identifiers. */
export function printPath(path: readonly string[]): string {
  return path.map((segment) => (IDENT.test(segment) ? segment : quote(segment))).join('.');
}

export function printValue(value: QueryValue): string {
  if (typeof value === 'string') return isBareWord(value) ? value : quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`a query cannot hold the number ${value}`);
    return String(value).replace('e+', 'e');
  }
  return String(value);
}

/**
 * Canonical text of a query: `parseQuery(printQuery(node))` deep-equals `node` for every node
 * `parseQuery` can return. Keywords are upper case; parentheses only where needed.
 */
export function printQuery(node: QueryNode): string {
  switch (node.type) {
    case 'cmp':
      return `${printPath(node.path)} ${node.op} ${printValue(node.value)}`;
    case 'exists':
      return `exists(${printPath(node.path)})`;
    case 'not':
      return `NOT ${node.child.type === 'and' || node.child.type === 'or' ? `(${printQuery(node.child)})` : printQuery(node.child)}`;
    case 'and':
    case 'or': {
      if (node.children.length === 0) throw new Error(`an "${node.type}" node needs children`);
      if (node.children.length === 1) return printQuery(node.children[0]!);
      // A nested node of the same kind keeps its parentheses (the parser does not flatten groups);
      // OR inside AND needs them for precedence.
      const group = (child: QueryNode): boolean => child.type === node.type || (node.type === 'and' && child.type === 'or');
      return node.children.map((child) => (group(child) ? `(${printQuery(child)})` : printQuery(child))).join(` ${node.type.toUpperCase()} `);
    }
  }
}
