import { createHash } from 'node:crypto';
import type { Payload } from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';

/** Default claim-check threshold: payloads stored in 256 KiB or more (after compression) go outside their record. */
export const DEFAULT_CLAIM_CHECK_BYTES = 256 * 1024;

/** The bytes a claim check points at, under their content address (sha256, hex). */
export interface ClaimedBlob {
  readonly sha256Hex: string;
  readonly bytes: Uint8Array;
}

/** The URI of a claimed blob: `blob:sha256:<hex>`. */
export const claimCheckUri = (sha256Hex: string): string => `blob:sha256:${sha256Hex}`;

/**
 * Claim check: a payload whose stored bytes (`data`, after compression) are at least
 * `thresholdBytes` keeps its metadata (encoding, codec, size, CRC-32) and points at its bytes
 * by content address instead of holding them; the caller stores the blob once. Smaller
 * payloads and payloads already claimed come back unchanged (no blob).
 */
export function claimCheckPayload(payload: Payload, thresholdBytes: number): { payload: Payload; blob?: ClaimedBlob } {
  if (payload.claimCheck || thresholdBytes <= 0 || payload.data.length < thresholdBytes) return { payload };
  const digest = createHash('sha256').update(payload.data).digest();
  const sha256Hex = digest.toString('hex');
  return {
    payload: {
      ...payload,
      data: new Uint8Array(0),
      claimCheck: { $typeName: 'flunq.v1.ClaimCheck', uri: claimCheckUri(sha256Hex), sha256: new Uint8Array(digest), storedSize: BigInt(payload.data.length) },
    },
    blob: { sha256Hex, bytes: payload.data },
  };
}

/** The content address (hex) a claimed payload points at; undefined for a payload holding its bytes. */
export function claimedSha256(payload: Payload): string | undefined {
  return payload.claimCheck ? Buffer.from(payload.claimCheck.sha256).toString('hex') : undefined;
}

/**
 * Puts a claimed payload's bytes back (what readers get), after checking them against the
 * claim: their sha256 and size. @throws CorruptedDataError when the blob is missing or differs.
 */
export function resolveClaimCheck(payload: Payload, bytes: Uint8Array | undefined, what: string): Payload {
  const check = payload.claimCheck;
  if (!check) return payload;
  if (!bytes) throw new CorruptedDataError(what, `the claimed bytes ${check.uri} are missing`);
  const digest = createHash('sha256').update(bytes).digest();
  if (bytes.length !== Number(check.storedSize) || !digest.equals(Buffer.from(check.sha256))) {
    throw new CorruptedDataError(what, `the bytes stored for ${check.uri} do not match its claim check`);
  }
  const { claimCheck: _claimed, ...rest } = payload;
  return { ...rest, claimCheck: undefined, data: bytes };
}
