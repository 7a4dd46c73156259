/** A DSL 1.0 inline duration: any of these fields, each a non-negative number. */
export interface DurationObject {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
}

/** A duration split into calendar parts (years, months) and fixed parts (milliseconds). */
export interface Duration {
  /** Whole calendar years and months: their length depends on when they start. */
  readonly years: number;
  readonly months: number;
  /** Everything else (weeks, days, hours, minutes, seconds), in milliseconds; days are 24 h (UTC). */
  readonly fixedMs: number;
}

/** A duration that is not ISO 8601 nor a DSL inline duration. */
export class DurationError extends Error {
  readonly code = 'INVALID_DURATION';

  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid duration ${JSON.stringify(value)}: ${reason}`);
    this.name = 'DurationError';
  }
}

const ISO = /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const FIXED_MS = [0, 0, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000] as const;
const INLINE_MS: Record<keyof DurationObject, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };

function parseIso(text: string): Duration {
  const match = ISO.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) throw new DurationError(text, 'not an ISO 8601 duration such as PT30S, P1DT2H or P1M');
  const parts = match.slice(1).map((p) => (p === undefined ? undefined : Number(p.replace(',', '.'))));
  const present = parts.map((p, i) => (p === undefined ? -1 : i)).filter((i) => i >= 0);
  const last = present.at(-1) ?? -1;
  parts.forEach((value, index) => {
    if (value !== undefined && !Number.isInteger(value) && index !== last) throw new DurationError(text, 'only the smallest unit may have a fraction');
  });
  const [years = 0, months = 0] = parts;
  if (!Number.isInteger(years) || !Number.isInteger(months)) throw new DurationError(text, 'fractions of years or months have no fixed length');
  const fixedMs = parts.slice(2).reduce<number>((sum, value, i) => sum + (value ?? 0) * (FIXED_MS[i + 2] ?? 0), 0);
  return { years, months, fixedMs: Math.round(fixedMs) };
}

function parseInline(value: Record<string, unknown>): Duration {
  const keys = Object.keys(value);
  if (keys.length === 0) throw new DurationError(value, 'an inline duration needs at least one of days, hours, minutes, seconds, milliseconds');
  let fixedMs = 0;
  for (const key of keys) {
    const unit = INLINE_MS[key as keyof DurationObject];
    const amount = value[key];
    if (unit === undefined) throw new DurationError(value, `unknown field ${key}`);
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) throw new DurationError(value, `${key} must be a non-negative number`);
    fixedMs += amount * unit;
  }
  return { years: 0, months: 0, fixedMs: Math.round(fixedMs) };
}

/** Reads a DSL duration: an ISO 8601 string (`PT15S`, `P1Y2M3DT4H`, `P2W`) or an inline object. */
export function parseDuration(value: unknown): Duration {
  if (typeof value === 'string') return parseIso(value.trim());
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return parseInline(value as Record<string, unknown>);
  throw new DurationError(value, 'expected an ISO 8601 string or an object of days, hours, minutes, seconds, milliseconds');
}

/**
 * The instant `duration` after `startMs` (epoch ms, UTC). Calendar months move the date and
 * clamp the day to the target month's length (Jan 31 + P1M = Feb 29 in 2024), then the
 * fixed part is added.
 */
export function addDuration(startMs: number, duration: Duration): number {
  let at = startMs;
  const totalMonths = duration.years * 12 + duration.months;
  if (totalMonths !== 0) {
    const start = new Date(startMs);
    const target = new Date(startMs);
    target.setUTCDate(1);
    target.setUTCMonth(start.getUTCMonth() + totalMonths);
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
    at = target.getTime();
  }
  return at + duration.fixedMs;
}

/** Length in ms of `duration` when it starts at `startMs` (needed only for years and months). */
export function durationMs(duration: Duration, startMs = 0): number {
  return addDuration(startMs, duration) - startMs;
}
