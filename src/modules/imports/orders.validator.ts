// An orders record (one order line) to a row ready for SQL. Stateful per import: a line
// without line_no is numbered by its position among its order's rows in the file.
import { decimal, integer, key, oneOf, timestamp } from './field-parsers';
import type { RawRecord } from './import.model';

export type OrderStatus = 'PLACED' | 'CANCELLED' | 'RETURNED';

export interface OrderLineRow {
  line: number;
  rows: number;
  orderExt: string;
  lineNo: number;
  customerExt: string | null;
  productExt: string;
  quantity: number;
  unitPrice: string;
  orderedAt: string;
  /** Null when the row does not say; the order's status is its first row's that does. */
  status: OrderStatus | null;
}

const STATUS = { placed: 'PLACED', cancelled: 'CANCELLED', canceled: 'CANCELLED', returned: 'RETURNED' } as const;

export class OrderLineValidator {
  /**
   * Rows seen so far per order id. Held for the whole import so an order whose rows are not
   * consecutive is still numbered by file position; ~100 bytes per distinct order.
   */
  private readonly positions = new Map<string, number>();

  validate(rec: RawRecord): OrderLineRow {
    const f = rec.fields;
    const orderExt = key(f, 'order_id', { required: true })!;
    // Every row of the order counts, valid or not, so fixing one bad row later renumbers nothing.
    const position = (this.positions.get(orderExt) ?? 0) + 1;
    this.positions.set(orderExt, position);
    return {
      line: rec.line,
      rows: rec.rows,
      orderExt,
      lineNo: integer(f, 'line_no', { min: 0 }) ?? position,
      customerExt: key(f, 'customer_id') ?? null,
      productExt: key(f, 'product_id', { required: true })!,
      quantity: integer(f, 'quantity', { required: true, nonZero: true })!,
      unitPrice: decimal(f, 'unit_price', { required: true, min: 0 })!,
      orderedAt: timestamp(f, 'ordered_at', { required: true })!,
      status: oneOf(f, 'status', STATUS) ?? null,
    };
  }
}
