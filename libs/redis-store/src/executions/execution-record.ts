import { ExecutionStatus } from '@flunq/proto-types';
import { CorruptedDataError } from '@flunq/serializer';
import { InvalidArgumentError, InvalidRecordError } from '../errors/store-errors.js';
import { assertValidId, assertValidTenantId, type KeyBuilder } from '../keys/key-builder.js';
import { compareTimePositions, decodeTimeCursor, encodeTimeCursor, type TimePosition } from '../records/time-position.js';
import type { ExecutionSummary, ListExecutionsOptions } from './execution-index.js';

/** Default page size of {@link ExecutionIndex.list}. */
export const DEFAULT_EXECUTION_PAGE_SIZE = 100;
/** Largest page of {@link ExecutionIndex.list}. */
export const MAX_EXECUTION_PAGE_SIZE = 1000;
/**
 * Most index entries one `list` call examines. When filters match few of them, a page can
 * come back short (even empty) with a `nextCursor`: keep paging until `nextCursor` is absent.
 */
export const EXECUTION_SCAN_BUDGET = 10_000;
/** Longest free-text field of a summary (workflow version, correlation id). */
export const MAX_SUMMARY_TEXT_LENGTH = 1024;

/** Every status value, in enum order (the Lua upsert script gets one key per status). */
export const STATUS_VALUES: readonly ExecutionStatus[] = Object.values(ExecutionStatus).filter((v): v is ExecutionStatus => typeof v === 'number');

/** `RUNNING` for {@link ExecutionStatus.RUNNING}: the status part of a status-set key. */
export function statusName(status: ExecutionStatus): string {
  return ExecutionStatus[status];
}

const isStatus = (value: unknown): value is ExecutionStatus => typeof value === 'number' && STATUS_VALUES.includes(value as ExecutionStatus);

/**
 * Validates a summary before anything is written.
 * @throws InvalidIdError for the tenant, execution or workflow id; InvalidRecordError for the other fields
 */
export function assertValidSummary(summary: ExecutionSummary): void {
  if (typeof summary !== 'object' || summary === null) throw new InvalidRecordError('?', 'the summary is not an object');
  assertValidTenantId(summary.tenantId);
  assertValidId(summary.executionId);
  assertValidId(summary.workflowId, 'workflow');
  const bad = (reason: string): never => {
    throw new InvalidRecordError(summary.executionId, reason);
  };
  if (!isStatus(summary.status)) bad(`status ${String(summary.status)} is not an ExecutionStatus`);
  for (const field of ['createdAtMs', 'updatedAtMs', 'completedAtMs'] as const) {
    const value = summary[field];
    if (!Number.isSafeInteger(value) || value < 0) bad(`${field} must be a non-negative integer, got ${String(value)}`);
  }
  for (const field of ['workflowVersion', 'correlationId', 'replayOf'] as const) {
    const value = summary[field];
    if (typeof value !== 'string') bad(`${field} must be a string`);
    if (value.length > MAX_SUMMARY_TEXT_LENGTH) bad(`${field} is longer than ${MAX_SUMMARY_TEXT_LENGTH} characters`);
  }
  if (summary.replayOf !== '') assertValidId(summary.replayOf);
}

/**
 * The stored form of a summary: a JSON array `[1, workflowId, workflowVersion, status,
 * createdAtMs, updatedAtMs, completedAtMs, correlationId, replayOf]` (tenant and execution id
 * are the hash key and field). The Lua scripts read elements 2 (workflow), 4 (status) and 6.
 */
export function encodeSummary(s: ExecutionSummary): string {
  return JSON.stringify([1, s.workflowId, s.workflowVersion, s.status, s.createdAtMs, s.updatedAtMs, s.completedAtMs, s.correlationId, s.replayOf]);
}

/** Reads a stored summary back. @throws CorruptedDataError for anything else */
export function decodeSummary(tenantId: string, executionId: string, raw: string): ExecutionSummary {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value[0] !== 1 || value.length !== 9) throw new CorruptedDataError(`execution summary ${tenantId}/${executionId}`, 'unknown format');
  const [, workflowId, workflowVersion, status, createdAtMs, updatedAtMs, completedAtMs, correlationId, replayOf] = value as [
    number, string, string, ExecutionStatus, number, number, number, string, string,
  ];
  return { executionId, tenantId, workflowId, workflowVersion, status, createdAtMs, updatedAtMs, completedAtMs, correlationId, replayOf };
}

/** A position in the listing order (see {@link compareListOrder}). */
export type ListPosition = TimePosition;

/** Encodes a position as an opaque cursor of the listing. */
export const encodeCursor = (position: ListPosition): string => encodeTimeCursor(position);

const decodeCursor = (cursor: unknown): ListPosition => decodeTimeCursor(cursor, '', 'ExecutionIndex.list');

/** Validated list options. */
export interface CheckedListOptions {
  readonly tenantId: string;
  readonly status: ExecutionStatus | undefined;
  readonly workflowId: string | undefined;
  readonly createdFromMs: number | undefined;
  readonly createdToMs: number | undefined;
  readonly after: ListPosition | undefined;
  readonly limit: number;
}

/**
 * Validates the options of a listing.
 * @throws InvalidIdError (tenant, workflow), InvalidArgumentError (status, time range, limit, cursor)
 */
export function checkListExecutionsOptions(options: ListExecutionsOptions): CheckedListOptions {
  assertValidTenantId(options.tenantId);
  const { status, workflowId, createdFromMs, createdToMs, limit = DEFAULT_EXECUTION_PAGE_SIZE } = options;
  if (status !== undefined && !isStatus(status)) throw new InvalidArgumentError('status', `${String(status)} is not an ExecutionStatus`);
  if (workflowId !== undefined) assertValidId(workflowId, 'workflow');
  for (const [name, value] of [['createdFromMs', createdFromMs], ['createdToMs', createdToMs]] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) throw new InvalidArgumentError(name, `must be an integer (ms since the epoch), got ${String(value)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EXECUTION_PAGE_SIZE) {
    throw new InvalidArgumentError('limit', `must be an integer in 1..${MAX_EXECUTION_PAGE_SIZE}, got ${String(limit)}`);
  }
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  return { tenantId: options.tenantId, status, workflowId, createdFromMs, createdToMs, after, limit };
}

/**
 * The index sets a listing may iterate, in order of preference when equally small: the
 * status set, the workflow set, then the tenant's set of all executions.
 */
export function candidateSets(keys: KeyBuilder, o: CheckedListOptions): string[] {
  return [
    ...(o.status !== undefined ? [keys.executionsByStatus(o.tenantId, statusName(o.status))] : []),
    ...(o.workflowId !== undefined ? [keys.executionsByWorkflow(o.tenantId, o.workflowId)] : []),
    keys.executions(o.tenantId),
  ];
}

/** Listing order: createdAtMs desc, then executionId desc. Negative when `a` comes first. */
export const compareListOrder = compareTimePositions;
