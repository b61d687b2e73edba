// Staged uploads, Shopify style: the client asks for an upload URL, PUTs the file to it, then
// starts an import naming the upload. Files are kept in the database in chunks so a worker on
// any machine can stream them back; memory stays flat whatever the file size.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { UploadRepository } from './upload.repository';

export const CHUNK_BYTES = 4 * 1024 * 1024;
const UPLOAD_TTL_MS = 24 * 3600 * 1000;

export class UploadTooLargeError extends Error {}

export interface StagedUploadTarget { id: string; url: string; expiresAt: Date; maxBytes: number }

export class UploadService {
  constructor(
    private readonly repo: UploadRepository,
    /** Base of upload URLs; the API sets it to its real address when not configured. */
    public baseUrl: string,
    readonly maxBytes: number,
  ) {}

  async createStaged(merchantId: number, filename: string, contentType?: string): Promise<StagedUploadTarget> {
    const token = randomBytes(24).toString('base64url');
    const row = await this.repo.create({ merchantId, filename, contentType, token, expiresAt: new Date(Date.now() + UPLOAD_TTL_MS) });
    return { id: row.id, url: `${this.baseUrl}/uploads/${token}`, expiresAt: row.expiresAt, maxBytes: this.maxBytes };
  }

  /** Stores a PUT body under its upload token. Returns null for an unknown or expired token. */
  async receive(token: string, body: AsyncIterable<Buffer> | Readable): Promise<{ id: string; sizeBytes: number } | null> {
    const upload = await this.repo.findByToken(token);
    if (!upload || upload.expiresAt < new Date()) return null;
    return { id: upload.id, sizeBytes: await this.store(upload.id, body) };
  }

  /** Streams content into chunks; an oversize body is rejected and nothing of it is kept. */
  async store(uploadId: string, body: AsyncIterable<Buffer | string>): Promise<number> {
    await this.repo.clearChunks(uploadId);
    let seq = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.repo.appendChunk(uploadId, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    for await (const part of body) {
      const buf = typeof part === 'string' ? Buffer.from(part) : part;
      size += buf.length;
      if (size > this.maxBytes) {
        await this.repo.clearChunks(uploadId);
        throw new UploadTooLargeError(`Upload exceeds the limit of ${this.maxBytes} bytes`);
      }
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    await this.repo.markComplete(uploadId, size);
    return size;
  }

  async find(merchantId: number, id: string) {
    return this.repo.find(merchantId, id);
  }

  /**
   * The upload's bytes, one chunk in memory at a time. With `sizeBytes` (the completed upload's
   * size), chunks that vanish before that many bytes were read — a customer erasure deletes consumed
   * uploads — throw UploadRemovedError instead of passing for the end of the file.
   */
  async *read(uploadId: string, sizeBytes?: number): AsyncGenerator<Buffer> {
    let read = 0;
    for (let seq = 0; ; seq++) {
      const chunk = await this.repo.chunk(uploadId, seq);
      if (!chunk) {
        if (sizeBytes !== undefined && read < sizeBytes) throw new UploadRemovedError(read, sizeBytes);
        return;
      }
      read += chunk.length;
      yield chunk;
    }
  }
}

/** The staged upload's content disappeared while it was being read. */
export class UploadRemovedError extends Error {
  constructor(read: number, size: number) {
    super(`The uploaded file was removed after ${read.toLocaleString('en')} of ${size.toLocaleString('en')} bytes had been read (a customer erasure deletes consumed uploads); the rows read so far are kept: upload the file again and import it`);
  }
}
