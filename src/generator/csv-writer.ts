// Streaming CSV output with bounded memory: each row is encoded straight into a fixed-size byte chunk
// that is handed to the file stream when full; when the stream reports backpressure, `ready()` waits
// for it to drain. Callers produce a bounded batch of rows (one simulated day) and then await `ready()`,
// so memory stays flat however many rows a shop has. Encoding rows immediately (rather than growing a
// string) lets every row string die young, which keeps garbage collection cheap at ten million rows.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const DEFAULT_CHUNK_BYTES = 1 << 20;

/** RFC 4180 quoting: only fields containing a separator, quote or line break are quoted. */
export function csvField(value: string): string {
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

export class CsvWriter {
  private chunk: Buffer;
  private used = 0;
  private rowCount = 0;
  private blocked = false;
  private readonly stream: WriteStream;
  private readonly chunkBytes: number;
  private failure: Error | null = null;

  constructor(path: string, header: readonly string[], chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.chunkBytes = chunkBytes;
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.stream = createWriteStream(path, { highWaterMark: chunkBytes });
    this.stream.on('error', (err) => (this.failure = err));
    this.append(header.join(','));
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends one already-formatted row (fields joined by commas, quoted where needed). */
  row(line: string): void {
    this.append(line);
    this.rowCount++;
  }

  private append(line: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit; +1 for the newline.
    if (this.used + 3 * line.length + 1 > this.chunkBytes) {
      this.push();
      if (3 * line.length + 1 > this.chunkBytes) {
        if (!this.stream.write(line + '\n')) this.blocked = true;
        return;
      }
    }
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.chunk[this.used++] = 10;
  }

  private push(): void {
    if (this.used === 0) return;
    // The stream keeps the buffer until it is written, so the next rows go to a fresh one.
    if (!this.stream.write(this.chunk.subarray(0, this.used))) this.blocked = true;
    this.chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.used = 0;
  }

  /** Resolves once the stream can take more: call between batches of rows. */
  async ready(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.blocked) return;
    this.blocked = false;
    await once(this.stream, 'drain');
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.push();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failure) throw this.failure;
  }
}

// ISO 8601 timestamps without milliseconds (`2026-11-27T10:00:00Z`). The date part is cached per day:
// formatting is on the hot path of ten million events.
let cachedDay = NaN;
let cachedPrefix = '';

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

export function formatTimestamp(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let s = Math.floor((ms - day * 86_400_000) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${cachedPrefix}${two(h)}:${two(m)}:${two(s)}Z`;
}

/** A plain `YYYY-MM-DD` date. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
