import { CorruptedDataError, UnknownEncodingError } from '../errors/errors.js';

/**
 * Binary envelope layout (all records written by flunq-io):
 *
 * | byte | content                                             |
 * |------|-----------------------------------------------------|
 * | 0-1  | magic `0xFA 0x51` (0xFA never starts UTF-8 text, so never JSON) |
 * | 2    | format version (1)                                  |
 * | 3    | kind: 1 = WorkflowState, 2 = WorkflowEvent          |
 * | 4-7  | state only: state version, uint32 big-endian (read by the Lua scripts) |
 * | ...  | protobuf body                                       |
 *
 * Legacy records (the original system's JSON) start with `{` after optional whitespace.
 */
export const ENVELOPE_MAGIC_0 = 0xfa;
/** Second magic byte ('Q'). */
export const ENVELOPE_MAGIC_1 = 0x51;
/** The format version this build writes; readers accept versions up to it. */
export const ENVELOPE_FORMAT_VERSION = 1;

/** What a binary envelope holds. */
export enum EnvelopeKind {
  State = 1,
  Event = 2,
}

/** Header size per kind: state carries its version for the Lua scripts. */
export const HEADER_SIZE: Record<EnvelopeKind, number> = {
  [EnvelopeKind.State]: 8,
  [EnvelopeKind.Event]: 4,
};

/** The storage format of a stored record. */
export type RecordFormat = 'binary' | 'legacy-json' | 'unknown';

/** Tells a binary envelope from the original system's JSON without decoding either. */
export function detectFormat(bytes: Uint8Array): RecordFormat {
  if (bytes[0] === ENVELOPE_MAGIC_0 && bytes[1] === ENVELOPE_MAGIC_1) return 'binary';
  for (const byte of bytes) {
    if (byte === 0x7b) return 'legacy-json';
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return 'unknown';
  }
  return 'unknown';
}

/** Writes the header of `kind` into the first `HEADER_SIZE[kind]` bytes of `out`. */
export function writeHeader(out: Uint8Array, kind: EnvelopeKind, version = 0): void {
  out[0] = ENVELOPE_MAGIC_0;
  out[1] = ENVELOPE_MAGIC_1;
  out[2] = ENVELOPE_FORMAT_VERSION;
  out[3] = kind;
  if (kind === EnvelopeKind.State) {
    if (!Number.isInteger(version) || version < 0 || version > 0xffffffff) {
      throw new RangeError(`state version ${version} does not fit the envelope header`);
    }
    new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(4, version, false);
  }
}

/**
 * Checks the header of a binary envelope of the expected kind and returns the offset of
 * its protobuf body. Throws typed errors for foreign bytes, newer versions or other kinds.
 */
export function checkHeader(bytes: Uint8Array, kind: EnvelopeKind, what: string): number {
  if (bytes.length < 4 || bytes[0] !== ENVELOPE_MAGIC_0 || bytes[1] !== ENVELOPE_MAGIC_1) {
    throw new CorruptedDataError(what, 'not a flunq binary envelope');
  }
  const version = bytes[2] ?? 0;
  if (version === 0 || version > ENVELOPE_FORMAT_VERSION) throw new UnknownEncodingError('envelope version', version);
  if (bytes[3] !== kind) throw new UnknownEncodingError(`envelope kind for ${what}`, bytes[3] ?? -1);
  if (bytes.length < HEADER_SIZE[kind]) throw new CorruptedDataError(what, 'truncated header');
  return HEADER_SIZE[kind];
}

/** Reads the state version from a state envelope header (what the Lua scripts compare). */
export function readStateVersion(bytes: Uint8Array): number {
  checkHeader(bytes, EnvelopeKind.State, 'state envelope');
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, false);
}
