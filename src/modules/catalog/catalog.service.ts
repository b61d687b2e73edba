// Catalogue reads and product writes, always within one merchant.
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import { ProductStatus } from '../../db/generated/enums';
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { Connection, decodeCursor, toConnection } from '../../graphql/relay';
import { UserError, userError } from '../../graphql/user-error';
import { BadInputError } from '../shared/errors';
import { Customer, Order, Product } from './catalog.types';
import { CustomerRepository } from './customer.repository';
import { DAY_MS, merchantNow } from './data-clock';
import { OrderFilter, OrderRepository, OrderWithLines } from './order.repository';
import { ProductFilter, ProductListRow, ProductRepository, ProductSort } from './product.repository';
import type { ProductInput } from './catalog.inputs';

export class CatalogService {
  private readonly productListeners: ((merchantId: number) => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly products: ProductRepository,
    private readonly customers: CustomerRepository,
    private readonly orders: OrderRepository,
    private readonly cfg: Pick<Config, 'longTailHeadShare' | 'newProductDays'>,
  ) {}

  /** Calls `fn` after every product write through this service (upsert, archive), e.g. to drop caches. */
  onProductsChanged(fn: (merchantId: number) => void): void {
    this.productListeners.push(fn);
  }

  /** Tells the listeners that a merchant's products changed (also for writes made elsewhere, e.g. launching). */
  notifyProductsChanged(merchantId: number): void {
    for (const fn of this.productListeners) fn(merchantId);
  }

  private toProduct(r: ProductListRow, now: Date): Product {
    const launched = new Date(r.effectiveLaunchedAt);
    return {
      id: toGlobalId('Product', r.id), internalId: r.id, externalId: r.externalId, title: r.title,
      description: r.description, category: r.category, brand: r.brand, price: Number(r.price),
      cost: r.cost === null ? null : Number(r.cost), stock: r.stock, tags: r.tags ?? [], attributes: r.attributes,
      status: r.status, createdAt: new Date(r.createdAt), launchedAt: launched,
      unitsSold90d: Number(r.units90d), revenue90d: Number(r.revenue90d), isLongTail: r.isLongTail,
      isNew: launched.getTime() <= now.getTime() && now.getTime() - launched.getTime() < this.cfg.newProductDays * DAY_MS,
    };
  }

  async listProducts(merchantId: number, a: { first: number; after?: string; sort: ProductSort; filter: ProductFilter; asOf?: Date }): Promise<Connection<Product>> {
    const after = decodeCursor(a.after, ProductRepository.cursorKinds(a.sort));
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const now = await merchantNow(this.db, merchantId, a.asOf);
    const rows = await this.products.list({
      merchantId, filter: a.filter, sort: a.sort, take: a.first + 1, after, now,
      newDays: this.cfg.newProductDays, headShare: this.cfg.longTailHeadShare, liveStats: Boolean(a.asOf),
    });
    return toConnection(rows, a.first, Boolean(after), (r) => ProductRepository.cursorKey(a.sort, r), (r) => this.toProduct(r, now));
  }

  async productsByIds(merchantId: number, ids: number[]): Promise<Map<number, Product>> {
    const now = await merchantNow(this.db, merchantId);
    const rows = await this.products.findByIds(merchantId, ids, now, this.cfg.longTailHeadShare);
    return new Map(rows.map((r) => [r.id, this.toProduct(r, now)]));
  }

  async product(merchantId: number, gid: string): Promise<Product | null> {
    const id = intFromGlobalId(gid, 'Product');
    if (id === null) return null;
    return (await this.productsByIds(merchantId, [id])).get(id) ?? null;
  }

  async productByExternalId(merchantId: number, externalId: string): Promise<Product | null> {
    const id = await this.products.idByExternalId(merchantId, externalId);
    return id === null ? null : (await this.productsByIds(merchantId, [id])).get(id) ?? null;
  }

  async upsertProduct(merchantId: number, input: ProductInput): Promise<{ product: Product | null; userErrors: UserError[] }> {
    const errors: UserError[] = [];
    if (input.cost !== undefined && input.cost !== null && input.cost > input.price * 100) {
      errors.push(userError('Cost is more than 100× the price; check the units', 'INVALID', ['input', 'cost']));
    }
    if (input.launchedAt && input.createdAt && input.launchedAt < input.createdAt) {
      errors.push(userError('launchedAt is before createdAt', 'INVALID', ['input', 'launchedAt']));
    }
    if (input.attributes !== undefined && (typeof input.attributes !== 'object' || Array.isArray(input.attributes) || input.attributes === null)) {
      errors.push(userError('attributes must be a JSON object', 'INVALID', ['input', 'attributes']));
    }
    if (errors.length) return { product: null, userErrors: errors };
    const { id } = await this.products.upsert(merchantId, input.externalId, {
      title: input.title, description: input.description ?? '', category: input.category ?? null, brand: input.brand ?? null,
      price: input.price, cost: input.cost ?? null, stock: input.stock ?? null, tags: input.tags ?? [],
      attributes: (input.attributes ?? {}) as object, status: input.status ?? ProductStatus.ACTIVE,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}), launchedAt: input.launchedAt ?? null,
    });
    this.notifyProductsChanged(merchantId);
    return { product: (await this.productsByIds(merchantId, [id])).get(id) ?? null, userErrors: [] };
  }

  async archiveProduct(merchantId: number, gid: string): Promise<{ product: Product | null; userErrors: UserError[] }> {
    const id = intFromGlobalId(gid, 'Product');
    if (id === null || !(await this.products.setStatus(merchantId, id, ProductStatus.ARCHIVED))) {
      return { product: null, userErrors: [userError('No product with this id', 'NOT_FOUND', ['id'])] };
    }
    this.notifyProductsChanged(merchantId);
    return { product: (await this.productsByIds(merchantId, [id])).get(id) ?? null, userErrors: [] };
  }

  /** Products the long-tail flag would have marked at a past instant (evaluations replay that instant). */
  longTailIdsAsOf(merchantId: number, at: Date): Promise<Set<number>> {
    return this.products.longTailIdsAsOf(merchantId, at, this.cfg.longTailHeadShare);
  }

  /** Recomputes trailing sales and long-tail flags at the data clock (after imports). */
  async refreshProductStats(merchantId: number): Promise<number> {
    return this.products.refreshStats(merchantId, await merchantNow(this.db, merchantId), this.cfg.longTailHeadShare);
  }

  // ---- customers ----

  private toCustomer(c: { id: number; externalId: string; attributes: unknown; createdAt: Date }): Customer {
    return { id: toGlobalId('Customer', c.id), internalId: c.id, externalId: c.externalId, attributes: c.attributes, createdAt: c.createdAt };
  }

  async listCustomers(merchantId: number, a: { first: number; after?: string; query?: string }): Promise<Connection<Customer>> {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.customers.list(merchantId, a.query, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], (r) => this.toCustomer(r));
  }

  async customersByIds(merchantId: number, ids: number[]): Promise<Map<number, Customer>> {
    const rows = await this.customers.findByIds(merchantId, ids);
    return new Map(rows.map((r) => [r.id, this.toCustomer(r)]));
  }

  async customer(merchantId: number, gid: string): Promise<Customer | null> {
    const id = intFromGlobalId(gid, 'Customer');
    return id === null ? null : (await this.customersByIds(merchantId, [id])).get(id) ?? null;
  }

  async customerByExternalId(merchantId: number, externalId: string): Promise<Customer | null> {
    const c = await this.customers.findByExternalId(merchantId, externalId);
    return c ? this.toCustomer(c) : null;
  }

  // ---- orders ----

  private toOrder(o: OrderWithLines): Order {
    const lines = o.lines.map((l) => ({
      lineNo: l.lineNo, productId: l.productId, quantity: l.quantity, unitPrice: Number(l.unitPrice),
      returnOfLineNo: l.returnOf?.lineNo ?? null,
    }));
    return {
      id: toGlobalId('Order', o.id), internalId: o.id, customerInternalId: o.customerId, externalId: o.externalId,
      status: o.status, orderedAt: o.orderedAt, lines,
      total: Math.round(lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100,
    };
  }

  async listOrders(merchantId: number, a: { first: number; after?: string; filter: Omit<OrderFilter, 'customerId'>; customerId?: string }): Promise<Connection<Order>> {
    const after = decodeCursor(a.after, ['date', 'int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    let customerId: number | undefined;
    if (a.customerId !== undefined) {
      const id = intFromGlobalId(a.customerId, 'Customer');
      if (id === null) throw new BadInputError('Malformed customer id', 'customerId');
      customerId = id;
    }
    const rows = await this.orders.list(merchantId, { ...a.filter, customerId }, a.first + 1,
      after ? { orderedAt: new Date(String(after[0])), id: Number(after[1]) } : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.orderedAt.toISOString(), r.id], (r) => this.toOrder(r));
  }

  async order(merchantId: number, gid: string): Promise<Order | null> {
    const id = intFromGlobalId(gid, 'Order');
    if (id === null) return null;
    const [o] = await this.orders.findByIds(merchantId, [id]);
    return o ? this.toOrder(o) : null;
  }

  async orderByExternalId(merchantId: number, externalId: string): Promise<Order | null> {
    const o = await this.orders.findByExternalId(merchantId, externalId);
    return o ? this.toOrder(o) : null;
  }

  async shop(merchantId: number) {
    return this.db.prisma.merchant.findUnique({ where: { id: merchantId }, select: { name: true, currency: true, timeZone: true, dataNow: true } });
  }
}
