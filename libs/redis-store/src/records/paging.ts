import { InvalidArgumentError } from '../errors/store-errors.js';

/** Default and largest page of events. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page a single read returns. */
export const MAX_PAGE_SIZE = 10_000;

/** Validates a page size, defaulting to {@link DEFAULT_PAGE_SIZE}. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidArgumentError('limit', `must be an integer in 1..${MAX_PAGE_SIZE}, got ${limit}`);
  }
  return limit;
}
