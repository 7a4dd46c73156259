/**
 * A plain Uint8Array view of the same memory (no copy). Node Buffers are Uint8Arrays with
 * extra methods; records carry plain views so equality and serialization never depend on
 * which API produced the bytes.
 */
export function asUint8Array(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
