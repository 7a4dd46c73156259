import type { Payload, WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import { claimCheckPayload, claimedSha256, resolveClaimCheck } from '@flunq/serializer';
import { anyEventPayload, anyStatePayload, mapEventPayloads, mapStatePayloads } from './payload-walk.js';

/**
 * Claim check on the write path: every payload of the step (the event's and the state's inline
 * ones) stored in at least `thresholdBytes` points at its bytes by content address instead of
 * holding them. Returns the step to encode and the blobs to store beside it, each once (the same
 * bytes as a task's input and the previous task's output are one blob). 0 turns it off.
 */
export function claimCheckStep(event: WorkflowEvent, state: WorkflowState, thresholdBytes: number): { event: WorkflowEvent; state: WorkflowState; blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  // the common case, nothing that large: no copies
  const large = (p: Payload): boolean => !p.claimCheck && p.data.length >= thresholdBytes;
  if (thresholdBytes <= 0 || !(anyEventPayload(event, large) || anyStatePayload(state, large))) return { event, state, blobs };
  const claim = <T extends Payload | undefined>(payload: T): T => {
    if (!payload) return payload;
    const { payload: claimed, blob } = claimCheckPayload(payload, thresholdBytes);
    if (blob) blobs.set(blob.sha256Hex, blob.bytes);
    return claimed as T;
  };
  return { event: mapEventPayloads(event, claim), state: mapStatePayloads(state, claim), blobs };
}

/** The content addresses (sha256 hex) the records' payloads point at. */
export function claimedHashes(events: readonly WorkflowEvent[], state?: WorkflowState): string[] {
  const hashes = new Set<string>();
  const collect = (payload: Payload): boolean => {
    const hash = claimedSha256(payload);
    if (hash) hashes.add(hash);
    return false;
  };
  for (const event of events) anyEventPayload(event, collect);
  if (state) anyStatePayload(state, collect);
  return [...hashes];
}

/**
 * Fetches the blobs the records point at (one call for all) and puts their bytes back; records
 * without claim checks come back as they are, without a fetch.
 * @throws CorruptedDataError when a blob is missing or does not match its claim check
 */
export async function resolveClaims<S extends WorkflowState | undefined>(
  executionId: string,
  events: WorkflowEvent[],
  state: S,
  fetch: (hashes: string[]) => Promise<(Uint8Array | undefined)[]>,
): Promise<{ events: WorkflowEvent[]; state: S }> {
  const hashes = claimedHashes(events, state);
  if (hashes.length === 0) return { events, state };
  const found = await fetch(hashes);
  const blobs = new Map(hashes.map((hash, i) => [hash, found[i]]));
  const resolve = <T extends Payload | undefined>(payload: T): T => {
    const hash = payload && claimedSha256(payload);
    return hash ? (resolveClaimCheck(payload, blobs.get(hash), `${executionId} payload ${hash}`) as T) : payload;
  };
  return { events: events.map((e) => mapEventPayloads(e, resolve)), state: (state ? mapStatePayloads(state, resolve) : state) as S };
}
