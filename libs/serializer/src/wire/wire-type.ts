/**
 * Protobuf wire types (the low 3 bits of a tag). flunq records only use these four;
 * groups (3, 4) and the unassigned 6 and 7 are rejected by the reader.
 */

/** Varint: int32, int64, uint32, uint64, bool, enum. */
export const WIRE_VARINT = 0;
/** Eight little-endian bytes: fixed64, sfixed64, double. Only ever skipped here. */
export const WIRE_FIXED64 = 1;
/** Varint length followed by that many bytes: string, bytes, embedded messages. */
export const WIRE_LEN = 2;
/** Four little-endian bytes: fixed32, sfixed32, float. */
export const WIRE_FIXED32 = 5;

/** Largest value of a uint32 field. */
export const UINT32_MAX = 0xffff_ffff;

/** The tag (`fieldNo << 3 | wireType`) of length-delimited field `fieldNo`: string, bytes, message. */
export function lenTag(fieldNo: number): number {
  return (fieldNo << 3) | WIRE_LEN;
}

/** The tag of varint field `fieldNo`: int32, int64, uint32, uint64, bool, enum. */
export function varintTag(fieldNo: number): number {
  return (fieldNo << 3) | WIRE_VARINT;
}

/** The tag of fixed32 field `fieldNo`. */
export function fixed32Tag(fieldNo: number): number {
  return (fieldNo << 3) | WIRE_FIXED32;
}
