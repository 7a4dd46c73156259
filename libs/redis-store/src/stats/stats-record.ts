import { InvalidArgumentError } from '../errors/store-errors.js';
import { assertValidId, assertValidTenantId } from '../keys/key-builder.js';
import type {
  ExecutionCounts,
  HourCounts,
  PayloadDirection,
  PayloadTotals,
  ReadStatsOptions,
  StatsEventKind,
  StatsReport,
  StatsSample,
  TaskStats,
} from './stats-store.js';

/** One hour, the time bucket of the statistics. */
export const HOUR_MS = 3_600_000;
/** Default retention of an hour's statistics after it ends: 7 days. */
export const DEFAULT_STATS_RETENTION_MS = 7 * 24 * HOUR_MS;
/** Most hours one read covers (31 days): the number of hashes it reads. */
export const MAX_STATS_RANGE_HOURS = 31 * 24;
/** Longest task name recorded. */
export const MAX_STATS_TASK_NAME_LENGTH = 1024;
/** Most payloads of one sample. */
export const MAX_STATS_PAYLOADS = 16;

/** Upper bounds (ms, inclusive) of the duration histogram: powers of two, 1 ms .. 2^22 ms (about 70 min); one more bucket above. */
export const DURATION_BOUNDS_MS: readonly number[] = Array.from({ length: 23 }, (_, i) => 2 ** i);
/** Upper bounds (bytes, inclusive) of the payload size histogram: powers of two, 64 B .. 16 MiB; one more bucket above. */
export const SIZE_BOUNDS_BYTES: readonly number[] = Array.from({ length: 19 }, (_, i) => 2 ** (i + 6));

const KINDS: ReadonlySet<StatsEventKind> = new Set(['execution.started', 'execution.completed', 'execution.failed', 'execution.cancelled', 'task.completed', 'task.failed']);
const DIRECTIONS: readonly PayloadDirection[] = ['input', 'output'];
const STATUSES = ['started', 'completed', 'failed', 'cancelled'] as const;

/** The bucket of `value` among `bounds` (the first bound it does not exceed), or `bounds.length` above them all. */
export function bucketOf(bounds: readonly number[], value: number): number {
  const index = bounds.findIndex((bound) => value <= bound);
  return index < 0 ? bounds.length : index;
}

/** The hour (index since the epoch) `ms` falls in. */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS);

/** When the hash of hour `hour` expires: `retentionMs` after the hour ends (ms since the epoch). */
export const expiresAt = (hour: number, retentionMs: number): number => (hour + 1) * HOUR_MS + retentionMs;

const badSample = (field: string, reason: string): never => {
  throw new InvalidArgumentError(`sample.${field}`, reason);
};

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Validates a sample before anything is written.
 * @throws InvalidIdError for the tenant or workflow id, InvalidArgumentError for the rest
 */
export function assertValidSample(tenantId: string, sample: StatsSample): void {
  assertValidTenantId(tenantId);
  if (typeof sample !== 'object' || sample === null) return badSample('', 'not an object');
  if (!KINDS.has(sample.kind)) badSample('kind', `${String(sample.kind)} is not a statistics event kind`);
  assertValidId(sample.workflowId, 'workflow');
  if (!isCount(sample.atMs)) badSample('atMs', `must be a non-negative integer (ms since the epoch), got ${String(sample.atMs)}`);
  if (sample.kind.startsWith('task.')) {
    const name = sample.taskName;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_STATS_TASK_NAME_LENGTH) badSample('taskName', `a task event needs a task name of 1..${MAX_STATS_TASK_NAME_LENGTH} characters`);
  }
  if (sample.durationMs !== undefined && !isCount(sample.durationMs)) badSample('durationMs', `must be a non-negative integer, got ${String(sample.durationMs)}`);
  const payloads = sample.payloads ?? [];
  if (!Array.isArray(payloads) || payloads.length > MAX_STATS_PAYLOADS) badSample('payloads', `must be an array of at most ${MAX_STATS_PAYLOADS} payloads`);
  for (const payload of payloads) {
    if (!DIRECTIONS.includes(payload?.direction)) badSample('payloads', `direction ${String(payload?.direction)} is not input or output`);
    if (!isCount(payload.originalBytes) || !isCount(payload.storedBytes)) badSample('payloads', 'sizes must be non-negative integers');
  }
}

/**
 * The hash fields a sample increments, and by how much. Fields of one hour's hash (`w` a
 * workflow id, which never holds `:`; a task name is the rest of the field):
 *
 * - `x:<started|completed|failed|cancelled>:<w>` execution counts
 * - `tc:<w>:<task>`, `tf:<w>:<task>` task ends (completed, failed)
 * - `td<i>:<w>:<task>` task duration histogram, bucket i of {@link DURATION_BOUNDS_MS}
 * - `pn:<input|output>:<w>`, `po:..`, `ps:..` payload count, original bytes, stored bytes
 * - `pb<i>:<w>` payload size histogram (original size), bucket i of {@link SIZE_BOUNDS_BYTES}
 */
export function sampleIncrements(sample: StatsSample): Map<string, number> {
  const fields = new Map<string, number>();
  const add = (field: string, by: number): void => {
    fields.set(field, (fields.get(field) ?? 0) + by);
  };
  const w = sample.workflowId;
  if (sample.kind.startsWith('execution.')) add(`x:${sample.kind.slice('execution.'.length)}:${w}`, 1);
  else {
    const task = `${w}:${sample.taskName ?? ''}`;
    add(`${sample.kind === 'task.completed' ? 'tc' : 'tf'}:${task}`, 1);
    if (sample.durationMs !== undefined) add(`td${bucketOf(DURATION_BOUNDS_MS, sample.durationMs)}:${task}`, 1);
  }
  for (const payload of sample.payloads ?? []) {
    add(`pn:${payload.direction}:${w}`, 1);
    add(`po:${payload.direction}:${w}`, payload.originalBytes);
    add(`ps:${payload.direction}:${w}`, payload.storedBytes);
    add(`pb${bucketOf(SIZE_BOUNDS_BYTES, payload.originalBytes)}:${w}`, 1);
  }
  return fields;
}

/** A validated read: the hours it covers. */
export interface CheckedReadOptions {
  readonly tenantId: string;
  readonly workflowId: string | undefined;
  /** Hour indexes, oldest first. */
  readonly hours: readonly number[];
}

/**
 * Validates a read and lists its hours.
 * @throws InvalidIdError (tenant, workflow), InvalidArgumentError (range: not integers, empty, over {@link MAX_STATS_RANGE_HOURS} hours)
 */
export function checkReadOptions(tenantId: string, options: ReadStatsOptions): CheckedReadOptions {
  assertValidTenantId(tenantId);
  const { fromMs, toMs, workflowId } = options;
  if (workflowId !== undefined) assertValidId(workflowId, 'workflow');
  for (const [name, value] of [['fromMs', fromMs], ['toMs', toMs]] as const) {
    if (!isCount(value)) throw new InvalidArgumentError(name, `must be a non-negative integer (ms since the epoch), got ${String(value)}`);
  }
  if (fromMs >= toMs) throw new InvalidArgumentError('toMs', 'must be after fromMs');
  const first = hourOf(fromMs);
  const last = hourOf(toMs - 1);
  if (last - first + 1 > MAX_STATS_RANGE_HOURS) throw new InvalidArgumentError('toMs', `a range covers at most ${MAX_STATS_RANGE_HOURS} hours (31 days)`);
  return { tenantId, workflowId, hours: Array.from({ length: last - first + 1 }, (_, i) => first + i) };
}

/** The upper bound of the bucket holding the `p` quantile of a histogram; null above the bounds or when empty. */
export function percentile(histogram: readonly number[], bounds: readonly number[], p: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return bounds[i] ?? null;
  }
  return null;
}

const zeroCounts = (): { -readonly [K in keyof ExecutionCounts]: number } => ({ started: 0, completed: 0, failed: 0, cancelled: 0 });
const totals = (count: number, originalBytes: number, storedBytes: number): PayloadTotals => ({
  count,
  originalBytes,
  storedBytes,
  compressionSavings: originalBytes > 0 ? 1 - storedBytes / originalBytes : 0,
});

/**
 * Sums the hashes of a range into a report. `hashes[i]` is hour `hours[i]`'s hash (empty when
 * missing or expired). Fields of another workflow than `workflowId` (when given) are skipped;
 * unknown fields are ignored (a newer writer's).
 */
export function buildReport(o: CheckedReadOptions, hashes: readonly ReadonlyMap<string, number>[]): StatsReport {
  const byStatus = zeroCounts();
  const byWorkflow = new Map<string, ReturnType<typeof zeroCounts>>();
  const perHour: HourCounts[] = [];
  const tasks = new Map<string, { workflowId: string; taskName: string; completed: number; failed: number; histogram: number[] }>();
  const payloads = { input: [0, 0, 0], output: [0, 0, 0] };
  const sizes = Array<number>(SIZE_BOUNDS_BYTES.length + 1).fill(0);
  o.hours.forEach((hour, index) => {
    const counts = zeroCounts();
    for (const [field, value] of hashes[index] ?? new Map<string, number>()) {
      const first = field.indexOf(':');
      const metric = field.slice(0, first);
      const rest = field.slice(first + 1);
      if (metric === 'x' || metric === 'pn' || metric === 'po' || metric === 'ps') {
        const second = rest.indexOf(':');
        const kind = rest.slice(0, second);
        const workflowId = rest.slice(second + 1);
        if (o.workflowId !== undefined && workflowId !== o.workflowId) continue;
        if (metric === 'x' && (STATUSES as readonly string[]).includes(kind)) {
          const status = kind as (typeof STATUSES)[number];
          counts[status] += value;
          byStatus[status] += value;
          const workflow = byWorkflow.get(workflowId) ?? zeroCounts();
          workflow[status] += value;
          byWorkflow.set(workflowId, workflow);
        } else if (kind === 'input' || kind === 'output') {
          payloads[kind][metric === 'pn' ? 0 : metric === 'po' ? 1 : 2]! += value;
        }
        continue;
      }
      const second = rest.indexOf(':');
      const workflowId = second < 0 ? rest : rest.slice(0, second);
      if (o.workflowId !== undefined && workflowId !== o.workflowId) continue;
      const sizeBucket = /^pb(\d+)$/.exec(metric);
      if (sizeBucket) {
        const i = Number(sizeBucket[1]);
        if (i < sizes.length) sizes[i]! += value;
        continue;
      }
      const durationBucket = /^td(\d+)$/.exec(metric);
      if (second < 0 || !(metric === 'tc' || metric === 'tf' || durationBucket)) continue;
      const taskName = rest.slice(second + 1);
      const key = `${workflowId}:${taskName}`;
      let task = tasks.get(key);
      if (!task) tasks.set(key, (task = { workflowId, taskName, completed: 0, failed: 0, histogram: Array<number>(DURATION_BOUNDS_MS.length + 1).fill(0) }));
      if (metric === 'tc') task.completed += value;
      else if (metric === 'tf') task.failed += value;
      else {
        const i = Number(durationBucket![1]);
        if (i < task.histogram.length) task.histogram[i]! += value;
      }
    }
    perHour.push({ hourMs: hour * HOUR_MS, ...counts });
  });
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const taskList: TaskStats[] = [...tasks.values()]
    .sort((a, b) => byId(a.workflowId, b.workflowId) || byId(a.taskName, b.taskName))
    .map((t) => ({
      workflowId: t.workflowId,
      taskName: t.taskName,
      count: t.completed + t.failed,
      failed: t.failed,
      p50Ms: percentile(t.histogram, DURATION_BOUNDS_MS, 0.5),
      p95Ms: percentile(t.histogram, DURATION_BOUNDS_MS, 0.95),
      p99Ms: percentile(t.histogram, DURATION_BOUNDS_MS, 0.99),
    }));
  const [inN, inO, inS] = payloads.input as [number, number, number];
  const [outN, outO, outS] = payloads.output as [number, number, number];
  const first = o.hours[0] ?? 0;
  return {
    fromMs: first * HOUR_MS,
    toMs: (first + o.hours.length) * HOUR_MS,
    executions: {
      byStatus,
      byWorkflow: Object.fromEntries([...byWorkflow].sort(([a], [b]) => byId(a, b))),
      perHour,
    },
    tasks: taskList,
    payloads: {
      ...totals(inN + outN, inO + outO, inS + outS),
      byDirection: { input: totals(inN, inO, inS), output: totals(outN, outO, outS) },
      sizeBuckets: sizes.map((count, i) => ({ upToBytes: SIZE_BOUNDS_BYTES[i] ?? null, count })),
    },
  };
}
