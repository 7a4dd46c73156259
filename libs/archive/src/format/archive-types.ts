/**
 * What an archived entry holds; the archive keeps its bytes as they were stored. `event` is one
 * stream entry, `stream` a whole stream packed in one entry (many small events, one manifest line).
 */
export type ArchiveEntryKind = 'state' | 'event' | 'stream' | 'snapshot' | 'blob' | 'meta';

/** Every entry kind, in the order the format knows them. */
export const ARCHIVE_ENTRY_KINDS: readonly ArchiveEntryKind[] = ['state', 'event', 'snapshot', 'blob', 'meta', 'stream'];

/**
 * One stored value of an execution, kept as opaque bytes so that a restore writes back
 * exactly what was read. `name` identifies it within its kind (e.g. the Redis stream
 * entry id `1732590000000-0` of an event); `fields` keeps small extra string fields
 * (e.g. the other fields of a stream entry).
 */
export interface ArchiveEntry {
  kind: ArchiveEntryKind;
  name: string;
  bytes: Uint8Array;
  fields?: Record<string, string>;
}

/**
 * Everything archived for one execution: its identity, times and stored entries, in the
 * order they were given. Times are Unix epoch milliseconds.
 */
export interface ExecutionArchive extends ArchiveIdentity {
  entries: ArchiveEntry[];
}

/** Who and when an archive is about (shared by the archive and its manifest). Times are Unix epoch milliseconds. */
export interface ArchiveIdentity {
  tenantId: string;
  executionId: string;
  workflowId: string;
  status: string;
  createdAtMs: number;
  finishedAtMs?: number;
  archivedAtMs: number;
}

/** Compression of an archive's body; recorded in the header, so decoding needs no option. */
export type ArchiveCodec = 'brotli' | 'gzip' | 'none';

/** Options of `encodeArchive`. */
export interface EncodeArchiveOptions {
  /** Body compression; default `brotli`. */
  codec?: ArchiveCodec;
  /**
   * Compression level: brotli quality 0..11 (default 4), gzip level 0..9 (default 6);
   * ignored by `none`. Brotli 4 encodes at 59-72 MB/s on one core of our 2-core machine
   * (ratio 3.6 on JSON-ish payloads); 5 halves that for 5% smaller archives (see
   * bench/archive.bench.ts).
   */
  level?: number;
}

/** Options of `decodeArchive` and `readManifest`. */
export interface DecodeArchiveOptions {
  /** Largest uncompressed entry data accepted, in bytes; default 1 GiB. */
  maxDataBytes?: number;
}

/**
 * How the manifest describes one entry; `offset`/`length` place it in the data section.
 * Format version 2 stores `kind`, `name`, `fields?` and `length` only: `offset` is
 * computed on read (entries lie end to end) and there is no per-entry `sha256` (the
 * manifest's `dataSha256` covers the whole data section). Version 1 stored both.
 */
export interface ArchiveManifestEntry {
  kind: ArchiveEntryKind;
  name: string;
  fields?: Record<string, string>;
  /** Byte offset of the raw bytes within the uncompressed data section (always filled on read; stored only by version 1). */
  offset: number;
  /** Size of the raw bytes. */
  length: number;
  /** sha256 of the raw bytes, lowercase hex: present for format version 1 archives only. */
  sha256?: string;
}

/** The JSON manifest of an archive: what it holds, readable without the entry bytes. */
export interface ArchiveManifest extends ArchiveIdentity {
  /** Format version the archive was written with (1 or 2). */
  format: number;
  /** Codec of the body, from the header. */
  codec: ArchiveCodec;
  /** Total size of the raw entry bytes. */
  dataBytes: number;
  /** sha256 of the whole raw (uncompressed) data section, lowercase hex: format version 2 only. */
  dataSha256?: string;
  entries: ArchiveManifestEntry[];
}

/**
 * An encoded archive plus what it was made from, to verify a stored copy against without
 * decoding it (see `sealArchiveAsync`, `verifySealedArchive`). Holds the raw sections, so
 * about the archive's uncompressed size in memory; do not change any of its arrays.
 */
export interface SealedArchive {
  /** The encoded archive, the same bytes `encodeArchiveAsync` returns. */
  readonly bytes: Uint8Array;
  /** Codec of both sections. */
  readonly codec: ArchiveCodec;
  /** The manifest section before compression (UTF-8 JSON). */
  readonly manifestRaw: Uint8Array;
  /** The data section before compression: every entry's bytes end to end. */
  readonly dataRaw: Uint8Array;
}
