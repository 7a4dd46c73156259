import type { CodecName, CompressionOptions } from '@flunq/serializer';
import { InvalidArgumentError } from '../errors/store-errors.js';
import { planColdCompression, type ColdCompressionSkip } from './cold-compression-plan.js';
import { purgeGuardOf, type RawExecutionStore } from './raw-execution-store.js';

/** The stronger setting payloads of finished executions are re-encoded with. */
export interface ColdCompressionOptions {
  /** Default `brotli`: the smallest (see docs/benchmarks.md, "Cold compression"); `zstd` decodes faster. */
  readonly codec: Exclude<CodecName, 'none'>;
  /** Default 11 (brotli's best). For zstd, 19 is the usual choice. */
  readonly level: number;
  /** Payloads stored in fewer bytes are left as they are. Default 1024. */
  readonly thresholdBytes: number;
  /** Refuse to inflate a stored payload larger than this. Default 64 MiB (as the hot path). */
  readonly maxDecompressedBytes: number;
}

/** Defaults of {@link ColdCompressionOptions}: brotli 11 over 1 KiB stored. */
export const DEFAULT_COLD_COMPRESSION: ColdCompressionOptions = {
  codec: 'brotli',
  level: 11,
  thresholdBytes: 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
};

/**
 * Resolves partial options (undefined fields take their default) against
 * {@link DEFAULT_COLD_COMPRESSION}; other fields are ignored.
 * @throws InvalidArgumentError for an unknown codec or a bad number.
 */
export function resolveColdCompression(options: Partial<ColdCompressionOptions> = {}): ColdCompressionOptions & CompressionOptions {
  const { codec, level, thresholdBytes, maxDecompressedBytes } = DEFAULT_COLD_COMPRESSION;
  const resolved = {
    codec: options.codec ?? codec,
    level: options.level ?? level,
    thresholdBytes: options.thresholdBytes ?? thresholdBytes,
    maxDecompressedBytes: options.maxDecompressedBytes ?? maxDecompressedBytes,
  };
  if (!['zstd', 'brotli', 'deflate-raw'].includes(resolved.codec)) throw new InvalidArgumentError('codec', `${String(resolved.codec)} is not zstd, brotli or deflate-raw`);
  for (const key of ['level', 'thresholdBytes', 'maxDecompressedBytes'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 0) throw new InvalidArgumentError(key, `${resolved[key]} is not a non-negative integer`);
  }
  return resolved;
}

/** What cold compression did to one execution. */
export interface ColdCompressionResult {
  readonly executionId: string;
  /** True when new bytes were written. */
  readonly recompressed: boolean;
  /** State value plus every stream entry's field and value bytes, before and after (equal when nothing was written). */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  /** Payloads re-encoded (0 when nothing was written). */
  readonly payloads: number;
  /** Stream entries in the original system's format, left untouched. */
  readonly legacyEntries: number;
  /** Why nothing was looked at: no keys, no state, a legacy state, not finished. */
  readonly skipped?: ColdCompressionSkip | 'missing';
  /** The keys changed between the read and the rewrite: nothing was written (a later run tries again). */
  readonly changedMeanwhile?: true;
}

/**
 * Cold compression of one execution (issue #7): reads its keys, computes their recompressed
 * form (see {@link planColdCompression}) and writes it back in one atomic script that checks
 * the keys are still what was read and keeps their TTLs. Readers see the old or the new bytes,
 * both decoding to the same values. Executions that are not finished, or kept in the original
 * system's format, are never written. Idempotent: payloads already cold-compressed are skipped
 * by their codec marker, and nothing is written when nothing shrinks.
 */
export async function recompressExecution(
  raw: Pick<RawExecutionStore, 'read' | 'rewrite'>,
  executionId: string,
  options: Partial<ColdCompressionOptions> = {},
): Promise<ColdCompressionResult> {
  const compression = resolveColdCompression(options);
  const current = await raw.read(executionId);
  if (!current) return { executionId, recompressed: false, bytesBefore: 0, bytesAfter: 0, payloads: 0, legacyEntries: 0, skipped: 'missing' };
  const plan = planColdCompression(current, compression);
  const unchanged = { executionId, recompressed: false, bytesBefore: plan.bytesBefore, bytesAfter: plan.bytesBefore, payloads: 0, legacyEntries: plan.legacyEntries };
  if (plan.skipped) return { ...unchanged, skipped: plan.skipped };
  if (!plan.state && !plan.events) return unchanged;
  const written = await raw.rewrite(executionId, purgeGuardOf(current), {
    ...(plan.state ? { state: plan.state } : {}),
    ...(plan.events ? { events: plan.events } : {}),
  });
  if (!written) return { ...unchanged, changedMeanwhile: true };
  return { ...unchanged, recompressed: true, bytesAfter: plan.bytesAfter, payloads: plan.payloads };
}
