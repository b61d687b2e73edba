import type { Database } from '../../db/database';

export class CustomerRepository {
  constructor(private readonly db: Database) {}

  list(merchantId: number, query: string | undefined, take: number, afterId: number | null) {
    return this.db.prisma.customer.findMany({
      where: { merchantId, ...(query ? { externalId: { startsWith: query } } : {}), ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take,
    });
  }

  findByIds(merchantId: number, ids: number[]) {
    return this.db.prisma.customer.findMany({ where: { merchantId, id: { in: ids } } });
  }

  findByExternalId(merchantId: number, externalId: string) {
    return this.db.prisma.customer.findUnique({ where: { merchantId_externalId: { merchantId, externalId } } });
  }
}
