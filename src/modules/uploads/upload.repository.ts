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

  // Chunks go through raw SQL: the PGlite adapter cannot bind Prisma's Bytes values, while both
  // drivers bind a Buffer/Uint8Array parameter to bytea natively.
  async appendChunk(uploadId: string, seq: number, data: Buffer) {
    await this.db.sql.query(`INSERT INTO "StagedUploadChunk" ("uploadId", seq, data) VALUES ($1, $2, $3)`,
      [uploadId, seq, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]);
  }

  async markComplete(uploadId: string, sizeBytes: number) {
    await this.db.prisma.stagedUpload.update({ where: { id: uploadId }, data: { completedAt: new Date(), sizeBytes: BigInt(sizeBytes) } });
  }

  async chunk(uploadId: string, seq: number): Promise<Buffer | null> {
    const [row] = await this.db.sql.query<{ data: Uint8Array }>(
      `SELECT data FROM "StagedUploadChunk" WHERE "uploadId" = $1 AND seq = $2`, [uploadId, seq]);
    return row ? Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null;
  }

  async deleteExpired(now = new Date()) {
    return this.db.prisma.stagedUpload.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
