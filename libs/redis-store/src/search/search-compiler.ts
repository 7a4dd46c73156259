import { randomUUID } from 'node:crypto';
import type { KeyBuilder } from '../keys/key-builder.js';
import type { SearchPlan } from './content-index.js';
import { scoreBounds, termSha1, type CheckedSearchOptions } from './search-record.js';

/** The keys and arguments of one `search-page.lua` call. */
export interface CompiledSearch {
  readonly keys: string[];
  readonly args: string[];
}

/**
 * Compiles a (checked) plan into the operations of `search-page.lua`: KEYS are the tenant's
 * all-executions ZSET, the index keys the plan reads, then fresh temporary keys
 * (`search:tmp:{<tenant>}:<uuid>.<n>`) which the script deletes before returning.
 */
export function compileSearch(keys: KeyBuilder, tenantId: string, plan: SearchPlan, o: CheckedSearchOptions): CompiledSearch {
  const indexKeys: string[] = [keys.searchAll(tenantId)];
  const indexOf = new Map<string, number>([[indexKeys[0]!, 1]]);
  const index = (key: string): number => {
    let i = indexOf.get(key);
    if (i === undefined) {
      indexKeys.push(key);
      i = indexKeys.length;
      indexOf.set(key, i);
    }
    return i;
  };
  // Temporary keys get their final KEYS position once the index keys are known: refs are negative until then.
  let temps = 0;
  const temp = (): number => -(temps += 1);
  const ops: (string | number)[] = [];
  const compile = (node: SearchPlan): number => {
    if ('eq' in node) return index(keys.searchEq(tenantId, termSha1(node.eq)));
    if ('has' in node) return index(keys.searchHas(tenantId, node.has));
    if ('all' in node) return 1;
    if ('range' in node) {
      const t = temp();
      ops.push('R', t, index(keys.searchNum(tenantId, node.range.field)), ...scoreBounds(node.range));
      return t;
    }
    if ('prefix' in node) {
      const t = temp();
      ops.push('P', t, index(keys.searchStr(tenantId, node.prefix.field)), node.prefix.value);
      return t;
    }
    if ('not' in node) {
      const child = compile(node.not);
      const t = temp();
      ops.push('D', t, 1, child);
      return t;
    }
    const and = 'and' in node;
    const children = (and ? node.and : node.or).map(compile);
    if (children.length === 1) return children[0]!;
    if (children.length === 0) return and ? 1 : temp(); // a temporary key never written: the empty set
    const t = temp();
    ops.push(and ? 'I' : 'U', t, children.length, ...children);
    return t;
  };
  const result = compile(plan);
  const ordered = temp();
  const first = indexKeys.length + 1;
  const resolve = (ref: string | number): string => (typeof ref === 'number' && ref < 0 ? String(indexKeys.length - ref) : String(ref));
  // Operands that are key references sit at known positions; rewrite them by walking the op list.
  const program: string[] = [];
  for (let i = 0; i < ops.length; ) {
    const op = ops[i] as string;
    const width = op === 'I' || op === 'U' ? 3 + (ops[i + 2] as number) : op === 'D' ? 4 : op === 'R' ? 5 : 4;
    const refs = op === 'I' || op === 'U' ? new Set([1, ...Array.from({ length: ops[i + 2] as number }, (_, j) => 3 + j)]) : op === 'D' ? new Set([1, 2, 3]) : new Set([1, 2]);
    for (let j = 0; j < width; j++) program.push(refs.has(j) ? resolve(ops[i + j]!) : String(ops[i + j]));
    i += width;
  }
  const name = randomUUID();
  const tempKeys = Array.from({ length: temps }, (_, j) => keys.searchTemp(tenantId, `${name}.${j + 1}`));
  return {
    keys: [...indexKeys, ...tempKeys],
    args: [
      String(o.limit),
      o.createdFromMs === undefined ? '' : String(o.createdFromMs),
      o.createdToMs === undefined ? '' : String(o.createdToMs),
      o.after === undefined ? '' : String(o.after.createdAtMs),
      o.after?.executionId ?? '',
      resolve(result),
      resolve(ordered),
      String(first),
      ...program,
    ],
  };
}
