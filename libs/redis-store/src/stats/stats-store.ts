/**
 * Execution analytics (issue #6): counters and fixed histograms the engine adds to after each
 * recorded step, per tenant and hour. Derived data: losing some only makes the numbers
 * approximate, nothing else depends on them. See docs/io-api.md, "Statistics".
 */

/** What a recorded step was, as far as the statistics are concerned. */
export type StatsEventKind = 'execution.started' | 'execution.completed' | 'execution.failed' | 'execution.cancelled' | 'task.completed' | 'task.failed';

/** Whether a payload went into (workflow or task input) or came out of (output) something. */
export type PayloadDirection = 'input' | 'output';

/** One payload of a recorded event: its size before and after encoding (compression). */
export interface PayloadSample {
  readonly direction: PayloadDirection;
  /** Bytes of the encoded value before compression (`Payload.original_size`). */
  readonly originalBytes: number;
  /** Bytes stored (`Payload.data` length, or the claim check's `stored_size`). */
  readonly storedBytes: number;
}

/** What one recorded step adds to the statistics. */
export interface StatsSample {
  readonly kind: StatsEventKind;
  readonly workflowId: string;
  /** When the step was recorded (ms since the epoch): picks the hour it counts in. */
  readonly atMs: number;
  /** Task events: the task's name. */
  readonly taskName?: string;
  /** Task events: started to completed; execution ends: created to ended (ms). */
  readonly durationMs?: number;
  /** The payloads the event carries (none for most execution ends). */
  readonly payloads?: readonly PayloadSample[];
}

/** Options of {@link StatsStore.read}: a time range of whole hours, optionally one workflow. */
export interface ReadStatsOptions {
  /** Start, ms since the epoch (inclusive; rounded down to its hour). */
  readonly fromMs: number;
  /** End, ms since the epoch (exclusive; an hour started before it is included). */
  readonly toMs: number;
  readonly workflowId?: string;
}

/** Execution counts. `started` counts starts in the range, the others ends in the range. */
export interface ExecutionCounts {
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
}

/** Counts of one hour. */
export interface HourCounts extends ExecutionCounts {
  /** The hour's start, ms since the epoch. */
  readonly hourMs: number;
}

/** Durations and outcomes of one task of one workflow. */
export interface TaskStats {
  readonly workflowId: string;
  readonly taskName: string;
  /** Ends recorded (completed + failed). */
  readonly count: number;
  readonly failed: number;
  /**
   * Percentiles of the duration, as the upper bound of the histogram bucket holding them
   * (buckets are powers of two, 1 ms .. 2^22 ms); null when above the largest bound.
   */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** One bucket of the payload size distribution (original sizes). */
export interface SizeBucket {
  /** Upper bound in bytes (inclusive); null for the bucket above the largest bound. */
  readonly upToBytes: number | null;
  readonly count: number;
}

/** Payload totals of one direction, or of both. */
export interface PayloadTotals {
  readonly count: number;
  readonly originalBytes: number;
  readonly storedBytes: number;
  /** `1 - storedBytes / originalBytes` (0 when nothing was stored); negative when encoding grew the data. */
  readonly compressionSavings: number;
}

/** Payload sizes. */
export interface PayloadStats extends PayloadTotals {
  readonly byDirection: Readonly<Record<PayloadDirection, PayloadTotals>>;
  /** Every bucket, smallest first (empty buckets included). */
  readonly sizeBuckets: readonly SizeBucket[];
}

/** Everything {@link StatsStore.read} answers. */
export interface StatsReport {
  /** The range actually covered: whole hours. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly executions: {
    readonly byStatus: ExecutionCounts;
    /** By workflow id, sorted by id. */
    readonly byWorkflow: Readonly<Record<string, ExecutionCounts>>;
    /** Every hour of the range, oldest first (zeros included). */
    readonly perHour: readonly HourCounts[];
  };
  /** Sorted by workflow id, then task name. */
  readonly tasks: readonly TaskStats[];
  readonly payloads: PayloadStats;
}

/**
 * The per-tenant statistics port. `record` adds one step; `read` sums the hours of a range.
 * Hours older than the retention (default 7 days) are gone. Tenants never see each other's.
 */
export interface StatsStore {
  /** @throws InvalidIdError (tenant, workflow), InvalidArgumentError (the sample) */
  record(tenantId: string, sample: StatsSample): Promise<void>;
  /** @throws InvalidIdError (tenant, workflow), InvalidArgumentError (range) */
  read(tenantId: string, options: ReadStatsOptions): Promise<StatsReport>;
  close(): Promise<void>;
}
