import type { WorkflowEvent, WorkflowState } from '@flunq/proto-types';

/** One step to record: the event and the state it leads to, written together or not at all. */
export interface RecordEventInput {
  /**
   * The event. `id` is required and is the idempotency key; `executionId` may be empty
   * (it is taken from the state); `sequence` is assigned by the store.
   */
  readonly event: WorkflowEvent;
  /** The state after the event; `state.id` is the execution id, `state.version` must be `expectedVersion + 1`. */
  readonly state: WorkflowState;
  /** The version of the state the caller computed this step from; 0 for a new execution. */
  readonly expectedVersion: number;
}

/** What {@link IoStore.recordEvent} did. */
export interface RecordEventResult {
  /** `appended`: written now. `duplicate`: this event was already recorded at that position; nothing changed. */
  readonly outcome: 'appended' | 'duplicate';
  /** The event's position in the stream (1-based), equal to the state version after it. */
  readonly sequence: number;
}

/** An event as read back, with the cursor to page on from it. */
export interface StoredEvent {
  /** Opaque cursor (the stream entry id); pass it as `after` to read what follows. */
  readonly cursor: string;
  /** The event; its payloads are still encoded (compressed, checksummed), decode them on demand. */
  readonly event: WorkflowEvent;
}

/** A page of events in recorded order. */
export interface EventPage {
  readonly events: StoredEvent[];
  /** Cursor for the next page; absent when this page reached the end. */
  readonly nextCursor?: string;
}

/** Options of {@link IoStore.readEvents}. */
export interface ReadEventsOptions {
  /** Read events after this cursor; from the first event when absent. */
  readonly after?: string;
  /** Page size, 1..10,000; default 100. */
  readonly limit?: number;
}

/** Options of {@link IoStore.watchEvents}. */
export interface WatchEventsOptions {
  /** Deliver the events after this cursor (from readEvents or a previous watch); from the first event when absent. */
  readonly after?: string;
  /** Ends the watch: the iterator then finishes without throwing, and the watch's connection is closed. */
  readonly signal: AbortSignal;
  /** Redis: longest wait of one blocking read, 1..60,000 ms; default 5000. Ignored by the memory adapter. */
  readonly blockMs?: number;
}

/** Options of {@link IoStore.readState}. */
export interface ReadStateOptions {
  /**
   * Fill the input and output of completed tasks from the events that carry them
   * (one extra round trip). Default true; the engine reads the bare snapshot with false.
   */
  readonly hydrate?: boolean;
}

/**
 * The I/O store port: everything flunq-io records about executions. Implemented by
 * `RedisIoStore` (production) and `MemoryIoStore` (tests of other projects); both pass
 * the same contract suite (`@flunq/redis-store/testing`).
 */
export interface IoStore {
  /**
   * Atomically appends the event and writes the new state, if the stored state is still at
   * `expectedVersion`. The same event delivered again (same id at the same position)
   * changes nothing and reports `duplicate`. Terminal states get their retention TTL.
   * @throws VersionConflictError, InvalidRecordError, InvalidIdError, LegacyRecordError
   */
  recordEvent(input: RecordEventInput): Promise<RecordEventResult>;
  /** Reads the state (binary or the original JSON format); undefined when there is none. */
  readState(executionId: string, options?: ReadStateOptions): Promise<WorkflowState | undefined>;
  /** Reads events in recorded order, a page at a time, without decoding payload bytes. */
  readEvents(executionId: string, options?: ReadEventsOptions): Promise<EventPage>;
  /**
   * Delivers every event recorded after `after`, in order, each exactly once, as it is recorded,
   * until `signal` aborts (the iterator then ends without throwing). A missing execution yields
   * nothing until its first event; the watch does not end by itself at a terminal event.
   * Redis: one dedicated connection per watch, closed on abort or when the loop is left.
   * @throws InvalidIdError, InvalidArgumentError (cursor, blockMs), StorageFailureError
   */
  watchEvents(executionId: string, options: WatchEventsOptions): AsyncIterable<StoredEvent>;
  /** Releases connections owned by the store. */
  close(): Promise<void>;
}
