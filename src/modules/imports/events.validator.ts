// An events record to a row ready for SQL; an event without event_id gets a hash of its fields.
import { eventKey } from './event-id';
import { integer, key, oneOf, RowError, timestamp } from './field-parsers';
import type { RawRecord } from './import.model';

export type EventType = 'IMPRESSION' | 'VIEW' | 'CLICK' | 'ADD_TO_CART' | 'PURCHASE';

export interface EventRow {
  line: number;
  rows: number;
  externalId: string;
  customerExt: string | null;
  sessionId: string | null;
  productExt: string;
  type: EventType;
  placement: string | null;
  position: number | null;
  occurredAt: string;
}

const TYPES = {
  impression: 'IMPRESSION', view: 'VIEW', click: 'CLICK', add_to_cart: 'ADD_TO_CART', purchase: 'PURCHASE',
} as const;

export function validateEvent(rec: RawRecord): EventRow {
  const f = rec.fields;
  const customerExt = key(f, 'customer_id') ?? null;
  const sessionId = key(f, 'session_id') ?? null;
  if (customerExt === null && sessionId === null) throw new RowError('customer_id', 'customer_id or session_id is required');
  const row: EventRow = {
    line: rec.line,
    rows: rec.rows,
    externalId: '',
    customerExt,
    sessionId,
    productExt: key(f, 'product_id', { required: true })!,
    type: oneOf(f, 'type', TYPES, { required: true })!,
    placement: key(f, 'placement') ?? null,
    position: integer(f, 'position', { min: 0 }) ?? null,
    occurredAt: timestamp(f, 'occurred_at', { required: true })!,
  };
  row.externalId = key(f, 'event_id') ?? eventKey(row);
  return row;
}
