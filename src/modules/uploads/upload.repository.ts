import type { Database } from '../../db/database';

export class UploadRepository {
  constructor(private readonly db: Database) {}

  create(data: { merchantId: number; filename: string; contentType?: string; token: string; expiresAt: Date }) {
    return this.db.prisma.stagedUpload.create({ data });
  }

  find(merchantId: number, id: string) {
    return this.db.prisma.stagedUpload.findFirst({ where: { id, merchantId } });
  }

  findByToken(token: string) {
    return this.db.prisma.stagedUpload.findUnique({ where: { token } });
  }

  /** Replaces any earlier content (a client may retry its PUT). */
  async clearChunks(uploadId: string) {
    await this.db.prisma.stagedUploadChunk.deleteMany({ where: { uploadId } });
  }

  async appendChunk(uploadId: string, seq: number, data: Buffer) {
    await this.db.prisma.stagedUploadChunk.create({ data: { uploadId, seq, data: new Uint8Array(data) } });
  }

  async markComplete(uploadId: string, sizeBytes: number) {
    await this.db.prisma.stagedUpload.update({ where: { id: uploadId }, data: { completedAt: new Date(), sizeBytes: BigInt(sizeBytes) } });
  }

  async chunk(uploadId: string, seq: number): Promise<Buffer | null> {
    const row = await this.db.prisma.stagedUploadChunk.findUnique({ where: { uploadId_seq: { uploadId, seq } } });
    return row ? Buffer.from(row.data) : null;
  }

  async deleteExpired(now = new Date()) {
    return this.db.prisma.stagedUpload.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
