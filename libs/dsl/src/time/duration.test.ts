import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDuration, DurationError, durationMs, parseDuration } from './duration.js';

const utc = (text: string): number => Date.parse(text);

describe('DSL durations', () => {
  test.each([
    ['PT15S', 15_000],
    ['PT1.5S', 1500],
    ['PT0,25S', 250],
    ['PT1H30M', 5_400_000],
    ['P1DT2H', 93_600_000],
    ['P2W', 1_209_600_000],
    ['P1DT0.5H', 88_200_000],
    [{ seconds: 3 }, 3000],
    [{ days: 1, milliseconds: 5 }, 86_400_005],
    [{ minutes: 1.5 }, 90_000],
  ])('%j is %d ms', (value, ms) => expect(durationMs(parseDuration(value))).toBe(ms));

  test('a fraction on the smallest unit is fine, also after calendar units', () => {
    expect(parseDuration('P1M1.5W')).toEqual({ years: 0, months: 1, fixedMs: 907_200_000 });
  });

  test('calendar months clamp to the end of the target month', () => {
    expect(new Date(addDuration(utc('2024-01-31T10:00:00Z'), parseDuration('P1M'))).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(new Date(addDuration(utc('2023-01-31T10:00:00Z'), parseDuration('P1M'))).toISOString()).toBe('2023-02-28T10:00:00.000Z');
    expect(new Date(addDuration(utc('2024-02-29T00:00:00Z'), parseDuration('P1Y'))).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(new Date(addDuration(utc('2024-11-15T08:00:00Z'), parseDuration('P1Y2M3DT4H'))).toISOString()).toBe('2026-01-18T12:00:00.000Z');
  });

  test.each([['P'], ['PT'], ['1H'], ['P1H'], ['PT-1S'], ['P1.5Y'], ['P1.5DT2H'], ['P1.5W2D'], [''], [{}], [{ weeks: 1 }], [{ seconds: -1 }], [{ seconds: '3' }], [42], [null]])(
    '%j is refused with a typed error',
    (value) => expect(() => parseDuration(value)).toThrow(DurationError),
  );

  test('ISO and inline forms of the same fixed duration agree', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.nat(23), fc.nat(59), fc.nat(59), (days, hours, minutes, seconds) => {
        const iso = parseDuration(`P${days}DT${hours}H${minutes}M${seconds}S`);
        expect(iso).toEqual(parseDuration({ days, hours, minutes, seconds }));
      }),
    );
  });
});
