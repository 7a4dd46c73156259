const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  m: 1000 ** 2,
  g: 1000 ** 3,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * Parses a byte size with a human unit, following Redis' own config convention:
 * `k`/`m`/`g` are powers of 1000, `kb`/`mb`/`gb` (and `KiB`/`MiB`/`GiB`) powers of 1024,
 * case-insensitive; `10MB` is 10,485,760 bytes. Returns undefined when the text is not a size.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const factor = UNITS[(match[2] ?? '').toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration such as `7d`, `12h`, `30m`, `1500ms` or `1h30m` into milliseconds.
 * A bare number is seconds (as in Redis TTLs). Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = trimmed.match(/\d+(?:\.\d+)?(ms|s|m|h|d|w)/gi);
  if (!parts || parts.join('') !== trimmed) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/i.exec(part) ?? [];
    total += Number(amount) * (DURATION_UNITS[(unit ?? '').toLowerCase()] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
