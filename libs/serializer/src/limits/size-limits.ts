import { PayloadTooLargeError } from '../errors/errors.js';

/** Size limits in bytes of the JSON encoding of a value, checked before anything is written. */
export interface SizeLimits {
  /** Any single payload (`MAX_PAYLOAD_SIZE`). */
  readonly maxPayloadSize: number;
  /** A workflow's input (`MAX_WORKFLOW_INPUT_SIZE`). */
  readonly maxWorkflowInputSize: number;
  /** A task's output (`MAX_TASK_OUTPUT_SIZE`). */
  readonly maxTaskOutputSize: number;
}

/** The seed's limits: 10 MiB per payload and workflow input, 5 MiB per task output. */
export const DEFAULT_SIZE_LIMITS: SizeLimits = Object.freeze({
  maxPayloadSize: 10 * 1024 * 1024,
  maxWorkflowInputSize: 10 * 1024 * 1024,
  maxTaskOutputSize: 5 * 1024 * 1024,
});

/** Which limit applies to a value. */
export type LimitKind = 'payload' | 'workflowInput' | 'taskOutput';

const LIMIT_NAMES: Record<LimitKind, { key: keyof SizeLimits; env: string }> = {
  payload: { key: 'maxPayloadSize', env: 'MAX_PAYLOAD_SIZE' },
  workflowInput: { key: 'maxWorkflowInputSize', env: 'MAX_WORKFLOW_INPUT_SIZE' },
  taskOutput: { key: 'maxTaskOutputSize', env: 'MAX_TASK_OUTPUT_SIZE' },
};

/**
 * Throws {@link PayloadTooLargeError} when `size` exceeds the limit of `kind` or the
 * general payload limit, whichever is smaller; the error names the path, size and limit.
 */
export function checkSize(size: number, kind: LimitKind, path: string, limits: SizeLimits = DEFAULT_SIZE_LIMITS): void {
  const specific = LIMIT_NAMES[kind];
  const general = LIMIT_NAMES.payload;
  const useSpecific = limits[specific.key] <= limits[general.key];
  const { key, env } = useSpecific ? specific : general;
  if (size > limits[key]) throw new PayloadTooLargeError(path, size, limits[key], env);
}
