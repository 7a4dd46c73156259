import { SerializationError } from './serialization-error.js';

/** Human form of a byte count, e.g. `10 MiB`, `1.5 KiB`, `12 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 ? String(value) : value.toFixed(value >= 10 ? 0 : 1).replace(/\.0$/, '');
  return `${text} ${units[unit]}`;
}

/** A value is larger than the limit that applies to its field. Nothing was written. */
export class PayloadTooLargeError extends SerializationError {
  readonly code = 'PAYLOAD_TOO_LARGE';

  constructor(
    /** Where the value sits, e.g. `input` or `tasks.fetchUser.output`. */
    readonly path: string,
    /** Size of the value in bytes (its JSON/UTF-8 encoding, before compression). */
    readonly size: number,
    /** The limit in bytes. */
    readonly limit: number,
    /** Name of the limit, e.g. `MAX_TASK_OUTPUT_SIZE`. */
    readonly limitName: string,
  ) {
    super(`${path} is ${formatBytes(size)} (${size} bytes), over ${limitName} of ${formatBytes(limit)} (${limit} bytes)`);
  }
}

/** The value refers to itself, so it has no JSON form. */
export class CircularReferenceError extends SerializationError {
  readonly code = 'CIRCULAR_REFERENCE';

  constructor(
    /** Path of the property that closes the cycle, e.g. `input.a.b`. */
    readonly path: string,
  ) {
    super(`circular reference at ${path}`);
  }
}

/** The value holds something JSON cannot carry faithfully (BigInt, NaN, Infinity, function, undefined, symbol). */
export class UnsupportedValueError extends SerializationError {
  readonly code = 'UNSUPPORTED_VALUE';

  constructor(
    /** Path of the offending value, e.g. `input.items[3].price`. */
    readonly path: string,
    /** What was found: `bigint`, `NaN`, `Infinity`, `function`, `undefined`, `symbol`, or a class name. */
    readonly valueKind: string,
  ) {
    super(`${path} holds ${valueKind}, which is not JSON data`);
  }
}

/** Stored bytes cannot be read: truncated, altered, or not in any known format. */
export class CorruptedDataError extends SerializationError {
  readonly code = 'CORRUPTED_DATA';

  constructor(
    /** What was being read, e.g. `state envelope`, `payload`, `zstd frame`. */
    readonly what: string,
    /** Why it was rejected. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`corrupted ${what}: ${reason}`, options);
  }
}

/** A record names an encoding, codec or format version this build does not know. */
export class UnknownEncodingError extends SerializationError {
  readonly code = 'UNKNOWN_ENCODING';

  constructor(
    /** Which kind of name: `payload encoding`, `compression codec`, `envelope version`, `envelope kind`. */
    readonly kind: string,
    /** The unknown value as found. */
    readonly value: string | number,
  ) {
    super(`unknown ${kind}: ${value}`);
  }
}

/** The codec a record needs is known but cannot be loaded here (e.g. the native zstd module failed to load). */
export class CodecUnavailableError extends SerializationError {
  readonly code = 'CODEC_UNAVAILABLE';

  constructor(
    readonly codec: string,
    options?: { cause?: unknown },
  ) {
    super(`compression codec ${codec} is not available in this process`, options);
  }
}
