import { PayloadEncoding, type Payload } from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';
import { asUint8Array } from '../json/bytes.js';
import { bytesToPayload } from '../payload/json-payload.js';

/** A JSON object as parsed from a legacy record. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Wraps a value parsed from legacy JSON as a json/plain payload; absent stays absent. */
export function legacyPayload(value: unknown): Payload | undefined {
  if (value === undefined) return undefined;
  return bytesToPayload(asUint8Array(Buffer.from(JSON.stringify(value), 'utf8')), PayloadEncoding.JSON_PLAIN);
}

/** Reads an RFC 3339 time (or epoch milliseconds) as epoch milliseconds; absent is 0n. */
export function legacyTime(value: unknown, what: string): bigint {
  if (value === undefined || value === null || value === '') return 0n;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new CorruptedDataError(what, `unreadable time ${JSON.stringify(value)}`);
  return BigInt(ms);
}

/** Reads an optional string field. */
export function legacyString(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** First defined value among the given keys (the original wrote both snake_case and camelCase). */
export function pick(source: JsonObject, ...keys: string[]): unknown {
  for (const key of keys) if (source[key] !== undefined) return source[key];
  return undefined;
}
