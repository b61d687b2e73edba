// History rows from hand-made records: launch instant, weekly units, promotion and exposure inference.
import { launchHistoryFromRecords, type LaunchRecordProduct, type LaunchRecordSale } from '../../src/ml/launch';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);
const at = (days: number) => new Date(T0 + days * DAY);

function product(id: number, over: Partial<LaunchRecordProduct> = {}): LaunchRecordProduct {
  return {
    productId: id, category: 'Home > Lamps', brand: 'Lumen', title: `Lamp ${id}`, description: 'A lamp.', price: 100,
    launchedAt: at(0), createdAt: at(-10), ...over,
  };
}

const sale = (productId: number, days: number, quantity: number, unitPrice = 100): LaunchRecordSale =>
  ({ productId, orderedAt: at(days), quantity, unitPrice });

describe('launchHistoryFromRecords', () => {
  const products = [
    product(1), // launched day 0, promo 20% for two weeks
    product(2, { launchedAt: null, createdAt: at(3) }), // no launch date: first sale on day 10 is the launch
    product(3, { launchedAt: at(10) }), // launched, never sold: zeros
    product(4, { launchedAt: at(60) }), // its 4 weeks are not complete before asOf
    product(5, { launchedAt: null, createdAt: at(-400) }), // migrated catalogue: predates the data
    product(6, { category: 'Garden > Pots', price: 30 }),
  ];
  const sales = [
    sale(1, 1, 2, 80), sale(1, 9, 1, 80), sale(1, 15, 3), sale(1, 27, 1), sale(1, 29, 5), // day 29 = week 5: outside
    sale(1, 16, -1), // a return is not demand
    sale(2, 10, 1, 50), sale(2, 12, 2, 50), sale(2, 30, 1, 50),
    sale(5, -2, 1), sale(5, 3, 1),
    sale(6, 2, 1, 30),
  ];
  const impressions = [
    { productId: 1, weekIndex: 0, impressions: 40 }, { productId: 1, weekIndex: 1, impressions: 20 },
    { productId: 1, weekIndex: 3, impressions: 20 }, { productId: 1, weekIndex: 6, impressions: 999 },
  ];
  const rows = launchHistoryFromRecords(products, sales, impressions, { weeks: 4, asOf: at(70) });
  const byId = new Map(rows.map((r) => [r.productId, r]));

  it('keeps complete launches only, in launch order', () => {
    expect(rows.map((r) => r.productId)).toEqual([1, 6, 2, 3]);
    expect(byId.has(4)).toBe(false);
    expect(byId.has(5)).toBe(false);
  });

  it('counts gross weekly units from the launch instant, zeros where nothing sold', () => {
    expect(byId.get(1)!.weeklyUnits).toEqual([2, 1, 3, 1]);
    expect(byId.get(3)!.weeklyUnits).toEqual([0, 0, 0, 0]);
    expect(byId.get(2)!.launchDate.getTime()).toBe(at(10).getTime());
    expect(byId.get(2)!.weeklyUnits).toEqual([3, 0, 1, 0]);
  });

  it('infers the promotion from unit prices below list price from week one', () => {
    expect(byId.get(1)!.discount).toBeCloseTo(0.2, 6);
    expect(byId.get(1)!.promoWeeks).toBe(2); // weeks 1–2 at 80, week 3 back at list price
    expect(byId.get(6)!.discount).toBe(0);
    expect(byId.get(2)!.discount).toBeCloseTo(0.5, 6);
    expect(byId.get(2)!.promoWeeks).toBe(3); // a week without sales neither ends nor extends the run
    expect(byId.get(1)!.promotionFromSales).toBe(true);
    expect(byId.get(6)!.promotionFromSales).toBe(false);
  });

  it('takes a known promotion (a launch run here) over what sales show, whether or not it sold', () => {
    const known = [product(3, { launchedAt: at(10), knownPromotion: { discount: 0.25, promoWeeks: 2 } }),
      product(1, { knownPromotion: { discount: 0, promoWeeks: 0 } })];
    const r = new Map(launchHistoryFromRecords(known, sales, [], { weeks: 4, asOf: at(70) }).map((x) => [x.productId, x]));
    expect(r.get(3)).toMatchObject({ discount: 0.25, promoWeeks: 2, promotionFromSales: false, weeklyUnits: [0, 0, 0, 0] });
    expect(r.get(1)).toMatchObject({ discount: 0, promoWeeks: 0, promotionFromSales: false });
  });

  it('uses mean weekly impressions over the window as exposure, and the category median price', () => {
    expect(byId.get(1)!.weeklyImpressions).toBeCloseTo(80 / 4, 9);
    expect(byId.get(3)!.weeklyImpressions).toBe(0);
    expect(byId.get(1)!.categoryMedianPrice).toBe(100);
    expect(byId.get(6)!.categoryMedianPrice).toBe(30);
  });
});
