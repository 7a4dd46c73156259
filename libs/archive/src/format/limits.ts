/** Largest manifest (uncompressed JSON) written or read: 16 MiB. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** Most entries one archive may hold. */
export const MAX_ARCHIVE_ENTRIES = 1_000_000;

/** Default largest uncompressed entry data accepted by decoding: 1 GiB. */
export const DEFAULT_MAX_DATA_BYTES = 1024 * 1024 * 1024;

/** Hard ceiling of the data section, whatever the options: what one Node buffer may hold (4 GiB - 1). */
export const MAX_DATA_BYTES_CEILING = 2 ** 32 - 1;

/** Longest entry name and longest id in the manifest, in characters. */
export const MAX_NAME_LENGTH = 1024;
