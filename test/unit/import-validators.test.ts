// Row validation per kind, and the deterministic keys given to rows that have none.
import { eventKey } from '../../src/modules/imports/event-id';
import { validateEvent } from '../../src/modules/imports/events.validator';
import { RowError } from '../../src/modules/imports/field-parsers';
import { OrderLineValidator } from '../../src/modules/imports/orders.validator';
import { validateProduct } from '../../src/modules/imports/products.validator';

const rec = (fields: Record<string, unknown>, line = 2) => ({ line, rows: 1, fields });

describe('products', () => {
  it('builds a row with defaults, tags and attributes', () => {
    expect(validateProduct(rec({ external_id: 'p1', title: 'Knife', price: '9.5', tags: 'a|b', colour: 'red' }))).toEqual({
      line: 2, rows: 1, externalId: 'p1', title: 'Knife', description: '', category: null, brand: null, price: '9.5',
      cost: null, stock: null, attributes: '{"colour":"red"}', tags: '["a","b"]', status: 'ACTIVE', createdAt: null, launchedAt: null,
    });
  });

  it('refuses a product without a price', () => {
    expect(() => validateProduct(rec({ external_id: 'p1', title: 'Knife' }))).toThrow(new RowError('price', 'price is required'));
  });
});

describe('order lines', () => {
  const line = (order: string, extra: Record<string, unknown> = {}) =>
    rec({ order_id: order, product_id: 'p', quantity: '1', unit_price: '2', ordered_at: '2026-01-01', ...extra });

  it('numbers lines without line_no by their position among their order’s rows, counting bad rows', () => {
    const v = new OrderLineValidator();
    expect(v.validate(line('a')).lineNo).toBe(1);
    expect(v.validate(line('b')).lineNo).toBe(1);
    expect(() => v.validate(line('a', { quantity: '0' }))).toThrow('quantity must not be 0');
    expect(v.validate(line('a')).lineNo).toBe(3);
    expect(v.validate(line('a', { line_no: '10' })).lineNo).toBe(10);
  });

  it('reads status per row, leaving the order’s status to its first row that gives one', () => {
    const v = new OrderLineValidator();
    expect(v.validate(line('a')).status).toBeNull();
    expect(v.validate(line('a', { status: 'Canceled' })).status).toBe('CANCELLED');
    expect(v.validate(line('a', { quantity: '-2' })).quantity).toBe(-2);
  });
});

describe('events', () => {
  const base = { customer_id: 'c1', product_id: 'p1', type: 'click', placement: 'home', position: '2', occurred_at: '2026-03-01T10:00:00Z' };

  it('keys an event without event_id by a hash that ignores how its fields were spelled', () => {
    const a = validateEvent(rec(base));
    const b = validateEvent(rec({ ...base, type: 'CLICK', position: 2, occurred_at: '2026-03-01T11:00:00+01:00' }, 9));
    expect(a.externalId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.externalId).toBe(a.externalId);
    expect(validateEvent(rec({ ...base, position: '3' })).externalId).not.toBe(a.externalId);
    expect(validateEvent(rec({ ...base, event_id: 'mine' })).externalId).toBe('mine');
  });

  it('tells an absent field from an empty one in the hash', () => {
    const withSession = eventKey({ customerExt: null, sessionId: 's', productExt: 'p', type: 'VIEW', placement: null, position: null, occurredAt: 't' });
    const withCustomer = eventKey({ customerExt: 's', sessionId: null, productExt: 'p', type: 'VIEW', placement: null, position: null, occurredAt: 't' });
    expect(withSession).not.toBe(withCustomer);
  });

  it('needs a customer or a session', () => {
    expect(() => validateEvent(rec({ ...base, customer_id: '' }))).toThrow(new RowError('customer_id', 'customer_id or session_id is required'));
    expect(validateEvent(rec({ ...base, customer_id: '', session_id: 's1' })).sessionId).toBe('s1');
  });
});
