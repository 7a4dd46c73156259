import type { WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import { decodeWorkflowEvent, decodeWorkflowState, encodeWorkflowEvent, encodeWorkflowState } from '../wire/index.js';
import { UnknownEncodingError } from '../errors/errors.js';
import { decodeLegacyState } from '../legacy/legacy-state.js';
import { checkHeader, detectFormat, EnvelopeKind, HEADER_SIZE, writeHeader } from './envelope-header.js';

/** Encodes the body after room for the header, then writes the header in place: one allocation, no copy. */
function wrap(kind: EnvelopeKind, encode: (reserve: number) => Uint8Array, version?: number): Uint8Array {
  const out = encode(HEADER_SIZE[kind]);
  writeHeader(out, kind, version);
  return out;
}

/** Encodes a state as a binary envelope; the header carries `state.version` for the Lua scripts. */
export function encodeStateEnvelope(state: WorkflowState): Uint8Array {
  return wrap(EnvelopeKind.State, (reserve) => encodeWorkflowState(state, reserve), Number(state.version));
}

/**
 * Decodes a stored state value: a binary envelope, or the original system's JSON (read as
 * is). Payload bytes inside are views into `bytes`, not copies, and are not decoded.
 */
export function decodeStateEnvelope(bytes: Uint8Array): WorkflowState {
  const format = detectFormat(bytes);
  if (format === 'legacy-json') return decodeLegacyState(bytes);
  if (format === 'unknown') throw new UnknownEncodingError('state record format', `first byte 0x${(bytes[0] ?? 0).toString(16)}`);
  return decodeWorkflowState(bytes, checkHeader(bytes, EnvelopeKind.State, 'state envelope'));
}

/** Encodes an event as a binary envelope. */
export function encodeEventEnvelope(event: WorkflowEvent): Uint8Array {
  return wrap(EnvelopeKind.Event, (reserve) => encodeWorkflowEvent(event, reserve));
}

/**
 * Decodes a binary event envelope. Payload bytes stay encoded (views into `bytes`), which
 * is what makes listing a timeline cheap. Legacy events are stream fields, not one value:
 * see `legacyEventFromFields`.
 */
export function decodeEventEnvelope(bytes: Uint8Array): WorkflowEvent {
  return decodeWorkflowEvent(bytes, checkHeader(bytes, EnvelopeKind.Event, 'event envelope'));
}
