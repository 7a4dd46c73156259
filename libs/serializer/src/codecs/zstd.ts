import { createRequire } from 'node:module';
import { CodecUnavailableError, CorruptedDataError } from '../errors/errors.js';

interface ZstdBinding {
  Compressor: new () => { setParameters(p: { compressionLevel: number; checksumFlag: boolean }): void; compress(data: Uint8Array): Buffer };
  Decompressor: new () => { decompress(data: Uint8Array): Buffer };
}

const ZSTD_MAGIC = 0xfd2fb528;

let binding: ZstdBinding | null | undefined;
let loadError: unknown;
const compressors = new Map<number, { compress(data: Uint8Array): Buffer }>();
let decompressor: { decompress(data: Uint8Array): Buffer } | undefined;

function load(): ZstdBinding {
  if (binding === undefined) {
    try {
      binding = createRequire(import.meta.url)('zstd-napi') as ZstdBinding;
    } catch (error) {
      binding = null;
      loadError = error;
    }
  }
  if (!binding) throw new CodecUnavailableError('zstd', { cause: loadError });
  return binding;
}

/** True when the native zstd module loads in this process. */
export function zstdAvailable(): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}

/**
 * Compresses one buffer as a single zstd frame that records its content size. With
 * `checksum`, the frame also carries zstd's content checksum (4 bytes, verified on
 * decompression): cold compression writes it, and it marks those frames as already cold.
 */
export function zstdCompress(data: Uint8Array, level: number, checksum = false): Uint8Array {
  const key = checksum ? -1000 - level : level;
  let compressor = compressors.get(key);
  if (!compressor) {
    const created = new (load().Compressor)();
    created.setParameters({ compressionLevel: level, checksumFlag: checksum });
    compressors.set(key, created);
    compressor = created;
  }
  return compressor.compress(data);
}

/** True when a zstd frame's header sets the content checksum flag (see {@link zstdCompress}). */
export function zstdFrameHasChecksum(frame: Uint8Array): boolean {
  if (frame.length < 5) return false;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return view.getUint32(0, true) === ZSTD_MAGIC && ((frame[4] ?? 0) & 0b100) !== 0;
}


/**
 * Reads the content size a zstd frame header declares, or undefined when the frame does
 * not record it. Lets the caller refuse a decompression bomb before inflating anything.
 */
export function zstdFrameContentSize(frame: Uint8Array): number | undefined {
  if (frame.length < 6) throw new CorruptedDataError('zstd frame', 'shorter than a frame header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) throw new CorruptedDataError('zstd frame', 'bad magic number');
  const descriptor = frame[4] ?? 0;
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][descriptor & 3] ?? 0;
  const fieldBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag] ?? 0;
  if (fieldBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (frame.length < at + fieldBytes) throw new CorruptedDataError('zstd frame', 'truncated frame header');
  switch (fieldBytes) {
    case 1:
      return view.getUint8(at);
    case 2:
      return view.getUint16(at, true) + 256;
    case 4:
      return view.getUint32(at, true);
    default:
      return Number(view.getBigUint64(at, true));
  }
}

/** Decompresses one zstd frame. The caller checks the declared size first. */
export function zstdDecompress(frame: Uint8Array): Uint8Array {
  decompressor ??= new (load().Decompressor)();
  try {
    return decompressor.decompress(frame);
  } catch (error) {
    throw new CorruptedDataError('zstd frame', 'cannot be decompressed', { cause: error });
  }
}
