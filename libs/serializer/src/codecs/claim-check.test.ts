import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { CorruptedDataError } from '../errors/errors.js';
import { createPayloadSerializer } from '../payload/payload-serializer.js';
import { claimCheckPayload, claimedSha256, DEFAULT_CLAIM_CHECK_BYTES, resolveClaimCheck } from './claim-check.js';

const serializer = createPayloadSerializer();

describe('claim check', () => {
  // random bytes as base64: compression cannot bring it under the threshold
  const big = serializer.toPayload({ blob: randomBytes(300 * 1024).toString('base64') }, { path: 'big' });

  test('a payload stored in at least the threshold points at its bytes; they come back byte for byte, the value equal', () => {
    expect(big.data.length).toBeGreaterThanOrEqual(DEFAULT_CLAIM_CHECK_BYTES);
    const { payload, blob } = claimCheckPayload(big, DEFAULT_CLAIM_CHECK_BYTES);
    expect(payload.data).toHaveLength(0);
    expect(payload.claimCheck?.uri).toBe(`blob:sha256:${blob!.sha256Hex}`);
    expect(claimedSha256(payload)).toBe(blob!.sha256Hex);
    expect({ ...payload, data: undefined, claimCheck: undefined }).toEqual({ ...big, data: undefined, claimCheck: undefined });
    const back = resolveClaimCheck(payload, blob!.bytes, 'big');
    expect(Buffer.from(back.data).equals(Buffer.from(big.data))).toBe(true);
    expect(serializer.fromPayload(back, 'big')).toEqual(serializer.fromPayload(big, 'big'));
    expect(() => serializer.fromPayload(payload, 'big')).toThrow(/claim check/);
  });

  test('small and already-claimed payloads are left as they are; threshold 0 turns claim checks off', () => {
    const small = serializer.toPayload({ a: 1 }, { path: 'small' });
    expect(claimCheckPayload(small, DEFAULT_CLAIM_CHECK_BYTES)).toEqual({ payload: small });
    const { payload } = claimCheckPayload(big, DEFAULT_CLAIM_CHECK_BYTES);
    expect(claimCheckPayload(payload, DEFAULT_CLAIM_CHECK_BYTES)).toEqual({ payload });
    expect(claimCheckPayload(big, 0)).toEqual({ payload: big });
    expect(resolveClaimCheck(small, undefined, 'small')).toBe(small);
  });

  test('missing, truncated or different bytes are CorruptedDataErrors', () => {
    const { payload, blob } = claimCheckPayload(big, DEFAULT_CLAIM_CHECK_BYTES);
    expect(() => resolveClaimCheck(payload, undefined, 'x')).toThrow(CorruptedDataError);
    expect(() => resolveClaimCheck(payload, blob!.bytes.subarray(1), 'x')).toThrow(/do not match/);
    const flipped = Uint8Array.from(blob!.bytes);
    flipped[10]! ^= 1;
    expect(() => resolveClaimCheck(payload, flipped, 'x')).toThrow(/do not match/);
  });
});
