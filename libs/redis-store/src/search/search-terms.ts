import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors/store-errors.js';
import { assertValidId, assertValidSearchField, assertValidTenantId } from '../keys/key-builder.js';
import type { IndexTerms } from './content-index.js';

/** Longest `eq` term key (characters); keys and records hold its hash ({@link termHash}). */
export const MAX_TERM_KEY_LENGTH = 4096;
/** Longest `str` value (characters). */
export const MAX_STRING_TERM_LENGTH = 1024;
/** Most terms (eq + num + str + has, after removing duplicates) of one execution. */
export const MAX_TERMS_PER_EXECUTION = 10_000;

/** The canonical form of an execution's terms: what the per-execution record holds (sorted, without duplicates). */
export interface TermsRecord {
  readonly createdAtMs: number;
  readonly eq: readonly string[];
  readonly num: readonly (readonly [string, number])[];
  readonly str: readonly (readonly [string, string])[];
  readonly has: readonly string[];
}

const bad = invalidArgument;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Validates the arguments of `replace`. @throws InvalidIdError (tenant, execution, field), InvalidArgumentError (the rest) */
export function checkTerms(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): TermsRecord {
  assertValidTenantId(tenantId);
  assertValidId(executionId);
  if (!Number.isSafeInteger(createdAtMs) || createdAtMs < 0) bad('createdAtMs', `must be a non-negative integer (ms since the epoch), got ${String(createdAtMs)}`);
  if (typeof terms !== 'object' || terms === null) return bad('terms', 'not an object');
  for (const part of ['eq', 'num', 'str', 'has'] as const) if (!Array.isArray(terms[part])) bad('terms', `${part} is not an array`);
  const eq = new Set<string>();
  for (const term of terms.eq) {
    if (typeof term !== 'string' || term.length === 0 || term.length > MAX_TERM_KEY_LENGTH) bad('terms', `an eq term must be a string of 1..${MAX_TERM_KEY_LENGTH} characters`);
    eq.add(term);
  }
  const num = new Map<string, [string, number]>();
  for (const term of terms.num) {
    if (typeof term !== 'object' || term === null) return bad('terms', 'a num term is not an object');
    assertValidSearchField(term.field);
    if (typeof term.value !== 'number' || !Number.isFinite(term.value)) bad('terms', `num value of ${term.field} must be a finite number, got ${String(term.value)}`);
    const value = term.value === 0 ? 0 : term.value; // -0 is 0
    num.set(JSON.stringify([term.field, value]), [term.field, value]);
  }
  const str = new Map<string, [string, string]>();
  for (const term of terms.str) {
    if (typeof term !== 'object' || term === null) return bad('terms', 'a str term is not an object');
    assertValidSearchField(term.field);
    if (typeof term.value !== 'string' || term.value.length > MAX_STRING_TERM_LENGTH) bad('terms', `str value of ${term.field} must be a string of at most ${MAX_STRING_TERM_LENGTH} characters`);
    if (term.value.includes('\0')) bad('terms', `str value of ${term.field} contains NUL`);
    str.set(JSON.stringify([term.field, term.value]), [term.field, term.value]);
  }
  const has = new Set<string>();
  for (const field of terms.has) {
    assertValidSearchField(field);
    has.add(field);
  }
  if (eq.size + num.size + str.size + has.size > MAX_TERMS_PER_EXECUTION) bad('terms', `more than ${MAX_TERMS_PER_EXECUTION} terms`);
  const pairs = <T extends string | number>(m: Map<string, [string, T]>): [string, T][] =>
    [...m.values()].sort(([fa, va], [fb, vb]) => byText(fa, fb) || (typeof va === 'number' ? va - (vb as number) : byText(va, vb as string)));
  return { createdAtMs, eq: [...eq].sort(byText), num: pairs(num), str: pairs(str), has: [...has].sort(byText) };
}

/** The part of an `eq` term's posting key: base64url of the first 12 bytes of the sha1 of its UTF-8 bytes (16 characters). */
export function termHash(term: string): string {
  return createHash('sha1').update(term, 'utf8').digest().subarray(0, 12).toString('base64url');
}

/** Throws {@link InvalidArgumentError} for `argument`. */
export function invalidArgument(argument: string, reason: string): never {
  throw new InvalidArgumentError(argument, reason);
}
