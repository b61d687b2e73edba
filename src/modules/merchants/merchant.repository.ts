import type { Database } from '../../db/database';
import type { ApiKeyScope } from '../../db/generated/client';

export class MerchantRepository {
  constructor(private readonly db: Database) {}

  create(data: { name: string; currency: string; timeZone: string }) {
    return this.db.prisma.merchant.create({ data });
  }

  find(id: number) { return this.db.prisma.merchant.findUnique({ where: { id } }); }

  findByName(name: string) { return this.db.prisma.merchant.findFirst({ where: { name }, orderBy: { id: 'asc' } }); }

  list() { return this.db.prisma.merchant.findMany({ orderBy: { id: 'asc' } }); }

  createKey(data: { merchantId: number; name: string; prefix: string; hash: string; scope: ApiKeyScope }) {
    return this.db.prisma.apiKey.create({ data });
  }

  findActiveKeyByHash(hash: string) {
    return this.db.prisma.apiKey.findFirst({ where: { hash, revokedAt: null } });
  }

  listKeys(merchantId: number) {
    return this.db.prisma.apiKey.findMany({ where: { merchantId }, orderBy: { id: 'asc' } });
  }

  async revokeKey(merchantId: number, keyId: number): Promise<boolean> {
    const { count } = await this.db.prisma.apiKey.updateMany({ where: { id: keyId, merchantId, revokedAt: null }, data: { revokedAt: new Date() } });
    return count > 0;
  }

  async touchKey(id: number) {
    await this.db.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
