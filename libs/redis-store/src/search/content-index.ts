/**
 * The storage side of content search (issue #6). The store does not know the query language:
 * it keeps, per execution, opaque terms that the query layer derives from the execution's
 * content, and combines them by a {@link SearchPlan}. See docs/search-index.md.
 */

/** A numeric value of a field (e.g. `input.amount` = 42); one field may have several. */
export interface NumericTerm {
  readonly field: string;
  readonly value: number;
}

/** A text value of a field for prefix search (e.g. `input.customer` = `Ada`); one field may have several. */
export interface StringTerm {
  readonly field: string;
  readonly value: string;
}

/** Everything one execution is findable by. */
export interface IndexTerms {
  /**
   * Canonical term keys for equality, e.g. JSON of `[path, kind, value]`; opaque to the store.
   * Texts and numbers need none: `text` and `range [v, v]` find them by their `str`/`num` terms.
   */
  readonly eq: readonly string[];
  /** Numeric values, for ranges. */
  readonly num: readonly NumericTerm[];
  /** Text values, for prefix search (by UTF-8 bytes, case-sensitive). */
  readonly str: readonly StringTerm[];
  /** Names of the fields present, for `exists`. */
  readonly has: readonly string[];
}

/** A numeric range: executions with ANY value of `field` inside it. Bounds are inclusive unless marked exclusive; an absent bound is open. */
export interface RangeSpec {
  readonly field: string;
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

/** What a search matches: a tree of set operations over the tenant's indexed executions. */
export type SearchPlan =
  /** Every child matches (`and: []` matches every execution). */
  | { readonly and: readonly SearchPlan[] }
  /** Some child matches (`or: []` matches nothing). */
  | { readonly or: readonly SearchPlan[] }
  /** Every indexed execution the child does not match. */
  | { readonly not: SearchPlan }
  /** Executions holding this `eq` term. */
  | { readonly eq: string }
  | { readonly range: RangeSpec }
  /** Executions with a `str` value of `field` starting with `value` (by bytes; `''` = any value). */
  | { readonly prefix: { readonly field: string; readonly value: string } }
  /** Executions with a `str` value of `field` equal to `value`. */
  | { readonly text: { readonly field: string; readonly value: string } }
  /** Executions with this field in `has`. */
  | { readonly has: string }
  /** Every indexed execution. */
  | { readonly all: true };

/** Time bounds and paging of {@link ContentIndex.search}. */
export interface SearchOptions {
  /** Created at or after (ms since the epoch). */
  readonly createdFromMs?: number;
  /** Created before (ms since the epoch). */
  readonly createdToMs?: number;
  /** From a previous page's `nextCursor` (of the same plan and bounds). */
  readonly cursor?: string;
  /** 1..1000, default 100. */
  readonly limit?: number;
}

/** A page of matching execution ids: `createdAtMs` descending, then execution id descending (bytes). */
export interface SearchPage {
  readonly ids: string[];
  /** Present when more matches may follow. */
  readonly nextCursor?: string;
}

/**
 * The per-tenant content index: derived data, written by the engine (through the query layer
 * that derives the terms) and rebuildable from the executions. Searches never cross tenants.
 */
export interface ContentIndex {
  /** Makes the execution's index exactly `terms` (terms it had before and no longer has are removed), atomically. */
  replace(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): Promise<void>;
  /** Removes the execution from the index (nothing when it is not indexed). */
  remove(tenantId: string, executionId: string): Promise<void>;
  /** Removes executions of one tenant from the index at once (those not indexed are skipped); as {@link ContentIndex.remove} for each, in fewer round trips. */
  removeMany(tenantId: string, executionIds: readonly string[]): Promise<void>;
  /** One page of the executions matching `plan`. */
  search(tenantId: string, plan: SearchPlan, options?: SearchOptions): Promise<SearchPage>;
  /**
   * Approximate bytes the execution's index entries take: its per-execution record plus every
   * member it adds to the index sets (payload bytes, without Redis' per-entry overhead). 0 when not indexed.
   */
  indexBytes(tenantId: string, executionId: string): Promise<number>;
  close(): Promise<void>;
}
