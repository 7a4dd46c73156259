import { toSeedEvent, toSeedEventHeader, toSeedState, type SeedEventView, type SeedStateView } from '@flunq/engine';
import { CompressionCodec, PayloadEncoding, type Payload, type TaskError, type WorkflowEvent, type WorkflowState } from '@flunq/proto-types';
import type { DefinitionVersionInfo, StoredDefinition, StoredEvent } from '@flunq/redis-store';
import type { PayloadSerializer } from '@flunq/serializer';

/** Event types after which an execution records nothing more. */
export const FINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['io.flunq.execution.completed', 'io.flunq.execution.failed', 'io.flunq.execution.cancelled']);

const iso = (ms: bigint | number): string | undefined => (Number(ms) > 0 ? new Date(Number(ms)).toISOString() : undefined);

/** The seed's state view, plus `replay_of` for a replay. */
export function stateView(state: WorkflowState, serializer: PayloadSerializer): SeedStateView & { replay_of?: string } {
  const view = toSeedState(state, serializer);
  return state.replayOf ? { ...view, replay_of: state.replayOf } : view;
}

/** An event in the seed's shape with its cursor (payloads decoded). */
export function eventView(stored: StoredEvent, serializer: PayloadSerializer): SeedEventView & { cursor: string } {
  return { ...toSeedEvent(stored.event, serializer), cursor: stored.cursor };
}

const ENCODINGS: Record<number, string> = { [PayloadEncoding.UNSPECIFIED]: 'unspecified', [PayloadEncoding.JSON_PLAIN]: 'json/plain', [PayloadEncoding.BINARY_PROTOBUF]: 'binary/protobuf' };
const CODECS: Record<number, string> = {
  [CompressionCodec.UNSPECIFIED]: 'none',
  [CompressionCodec.ZSTD]: 'zstd',
  [CompressionCodec.DEFLATE_RAW]: 'deflate-raw',
  [CompressionCodec.BROTLI]: 'brotli',
};

/** A payload's envelope: what it is and how big, without touching its bytes. */
export interface PayloadInfo {
  readonly encoding: string;
  readonly compression: string;
  readonly original_size: number;
  readonly stored_size: number;
  readonly claim_check?: string;
}

export function payloadInfo(payload: Payload): PayloadInfo {
  const claim = payload.claimCheck;
  return {
    encoding: ENCODINGS[payload.encoding] ?? 'unspecified',
    compression: CODECS[payload.compression] ?? 'none',
    original_size: Number(payload.originalSize),
    stored_size: claim ? Number(claim.storedSize) : payload.data.length,
    ...(claim ? { claim_check: claim.uri } : {}),
  };
}

function problem(error: TaskError | undefined): Record<string, unknown> | undefined {
  if (!error) return undefined;
  return { type: error.type, status: error.status, ...(error.title ? { title: error.title } : {}), ...(error.detail ? { detail: error.detail } : {}), instance: error.instance };
}

const defined = (entries: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));

/** The typed data of an event without payload values, and the envelope of each payload. */
function envelopeData(event: WorkflowEvent): { data: Record<string, unknown>; payloads: Record<string, Payload | undefined> } {
  const { data } = event;
  switch (data.case) {
    case 'executionStarted':
      return { data: { workflow_version: data.value.workflowVersion }, payloads: { input: data.value.input } };
    case 'taskStarted':
      return { data: { task_name: data.value.taskName, attempt: data.value.attempt }, payloads: { input_data: data.value.inputData } };
    case 'taskCompleted':
      return {
        data: { task_name: data.value.taskName, started_at: iso(data.value.startedAtMs), completed_at: iso(data.value.completedAtMs), attempt: data.value.attempt },
        payloads: { input_data: data.value.inputData, output_data: data.value.outputData },
      };
    case 'taskFailed':
      return {
        data: { task_name: data.value.taskName, error: problem(data.value.error), started_at: iso(data.value.startedAtMs), completed_at: iso(data.value.completedAtMs), attempt: data.value.attempt },
        payloads: { input_data: data.value.inputData },
      };
    case 'executionCompleted':
      return { data: {}, payloads: { output: data.value.output } };
    case 'executionFailed':
      return { data: { error: problem(data.value.error) }, payloads: {} };
    case 'executionCancelled':
      return { data: { reason: data.value.reason }, payloads: {} };
    case 'other':
      return { data: {}, payloads: { value: data.value } };
    default:
      return { data: {}, payloads: {} };
  }
}

/** An event for listings that do not decode payloads (`payloads=false`): the envelope of each payload instead of its value. */
export function envelopeEventView(stored: StoredEvent): Record<string, unknown> {
  const { event } = stored;
  const { data, payloads } = envelopeData(event);
  return {
    ...toSeedEventHeader(event),
    cursor: stored.cursor,
    data: defined(data),
    payloads: Object.fromEntries(Object.entries(payloads).flatMap(([name, payload]) => (payload ? [[name, payloadInfo(payload)]] : []))),
  };
}

export function versionView(info: DefinitionVersionInfo): Record<string, unknown> {
  return { version: info.version, sha256: info.sha256, registered_at: new Date(info.registeredAtMs).toISOString() };
}

export function definitionView(stored: StoredDefinition): Record<string, unknown> {
  return { workflow_id: stored.workflowId, ...versionView(stored), source: stored.source };
}
