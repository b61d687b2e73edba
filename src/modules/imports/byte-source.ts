// The file as a byte stream: counts bytes for progress, and looks at the first bytes to tell
// CSV from JSONL and to refuse binary or non-UTF-8 files before anything is parsed or written.
import { MalformedFileError } from './import.errors';

export interface ByteCounter { bytes: number }

export interface SniffedSource {
  format: 'csv' | 'jsonl';
  /** The whole file, from its first byte (the sniffed head is replayed). */
  chunks: AsyncIterable<Buffer>;
}

const SNIFF_BYTES = 64 * 1024;
const SLICE_BYTES = 16 * 1024;

export async function sniffSource(source: AsyncIterable<Buffer | string>, counter: ByteCounter): Promise<SniffedSource> {
  const it = source[Symbol.asyncIterator]();
  const headParts: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) { done = true; break; }
    const buf = toBuffer(next.value);
    headParts.push(buf);
    headBytes += buf.length;
  }
  const head = Buffer.concat(headParts, headBytes);
  const format = detectFormat(head);
  // Bytes are counted as the parser pulls them, in slices of at most SLICE_BYTES, so progress
  // (bytes consumed / file size) moves steadily even when the source hands over large chunks.
  async function* slices(buf: Buffer): AsyncGenerator<Buffer> {
    for (let at = 0; at < buf.length; at += SLICE_BYTES) {
      const slice = buf.subarray(at, Math.min(buf.length, at + SLICE_BYTES));
      counter.bytes += slice.length;
      yield slice;
    }
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield* slices(head);
      if (done) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield* slices(toBuffer(next.value));
      }
    } finally {
      if (!done) await it.return?.();
    }
  }
  return { format, chunks: replay() };
}

function toBuffer(chunk: Buffer | string | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Decides the format from the file's first bytes, or throws MalformedFileError. */
export function detectFormat(head: Buffer): 'csv' | 'jsonl' {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    throw new MalformedFileError('The file is gzip-compressed; upload the uncompressed CSV or JSONL file');
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) {
    throw new MalformedFileError('The file is a ZIP archive (or an Excel workbook); export it as CSV');
  }
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new MalformedFileError('The file is UTF-16 text; save it as UTF-8');
  }
  if (head.includes(0)) throw new MalformedFileError('The file is binary, not CSV or JSONL text');
  try {
    // `stream: true` tolerates a multi-byte character cut at the end of the sniffed bytes.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    throw new MalformedFileError('The file is not UTF-8 text (CSV and JSONL files must be UTF-8)');
  }
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i >= head.length) throw new MalformedFileError('The file is empty');
  if (head[i] === 0x7b /* { */) return 'jsonl';
  if (head[i] === 0x5b /* [ */) {
    throw new MalformedFileError('The file is a JSON array; JSONL needs one JSON object per line');
  }
  return 'csv';
}
