import type { Database } from '../../db/database';
import type { OrderStatus } from '../../db/generated/enums';

export interface OrderFilter { status?: OrderStatus; customerId?: number; from?: Date; to?: Date }

const withLines = {
  lines: {
    orderBy: { lineNo: 'asc' as const },
    select: { lineNo: true, productId: true, quantity: true, unitPrice: true, returnOf: { select: { lineNo: true } } },
  },
};

export class OrderRepository {
  constructor(private readonly db: Database) {}

  /** Newest first, keyset on (orderedAt, id). */
  list(merchantId: number, f: OrderFilter, take: number, after: { orderedAt: Date; id: number } | null) {
    return this.db.prisma.order.findMany({
      where: {
        merchantId, status: f.status, customerId: f.customerId,
        orderedAt: { gte: f.from, lt: f.to },
        ...(after ? { OR: [{ orderedAt: { lt: after.orderedAt } }, { orderedAt: after.orderedAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }],
      take,
      include: withLines,
    });
  }

  findByIds(merchantId: number, ids: number[]) {
    return this.db.prisma.order.findMany({ where: { merchantId, id: { in: ids } }, include: withLines });
  }

  findByExternalId(merchantId: number, externalId: string) {
    return this.db.prisma.order.findUnique({ where: { merchantId_externalId: { merchantId, externalId } }, include: withLines });
  }
}

export type OrderWithLines = Awaited<ReturnType<OrderRepository['findByIds']>>[number];
