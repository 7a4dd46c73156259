import type { KeyBuilder } from '../keys/key-builder.js';
import type { SearchPlan } from './content-index.js';
import type { CheckedSearchOptions } from './search-plan-check.js';
import { scoreBounds } from './search-plan-check.js';
import { termHash } from './search-terms.js';

/** The keys and arguments of one `search-page.lua` call. */
export interface CompiledSearch {
  readonly keys: string[];
  readonly args: string[];
}

/** A (checked) plan in the postfix form `search-page.lua` evaluates per segment (see its header). */
export function planProgram(plan: SearchPlan): string[] {
  const out: string[] = [];
  const emit = (node: SearchPlan): void => {
    if ('eq' in node) out.push('E', termHash(node.eq));
    else if ('has' in node) out.push('H', node.has);
    else if ('all' in node) out.push('A');
    else if ('range' in node) out.push('R', node.range.field, ...scoreBounds(node.range));
    else if ('prefix' in node) out.push('P', node.prefix.field, node.prefix.value);
    else if ('text' in node) out.push('T', node.text.field, node.text.value, termHash(node.text.value));
    else if ('not' in node) {
      emit(node.not);
      out.push('N');
    } else {
      const and = 'and' in node;
      const children = and ? node.and : node.or;
      for (const child of children) emit(child);
      if (children.length !== 1) out.push(and ? '&' : '|', String(children.length));
    }
  };
  emit(plan);
  return out;
}

/** Compiles a (checked) plan and options into the keys and arguments of `search-page.lua`. */
export function compileSearch(keys: KeyBuilder, tenantId: string, plan: SearchPlan, o: CheckedSearchOptions): CompiledSearch {
  const { base, tag } = keys.searchKeyParts(tenantId);
  return {
    keys: [keys.searchFields(tenantId), keys.searchSpans(tenantId)],
    args: [
      String(o.limit),
      o.createdFromMs === undefined ? '' : String(o.createdFromMs),
      o.createdToMs === undefined ? '' : String(o.createdToMs),
      o.after === undefined ? '' : String(o.after.createdAtMs),
      o.after?.executionId ?? '',
      base,
      tag,
      ...planProgram(plan),
    ],
  };
}
