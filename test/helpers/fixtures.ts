// Small, deterministic import files for tests that exercise the job system rather than the parser.
export function productsCsv(n: number, prefix = 'p'): string {
  const lines = ['external_id,title,description,category,brand,price,cost,stock,created_at,launched_at,tags'];
  for (let i = 0; i < n; i++) {
    lines.push(`${prefix}${i},Product ${i},"A fine, sturdy thing ${i}",${['Kitchen', 'Garden', 'Toys'][i % 3]},Brand${i % 5},${(5 + (i % 40)).toFixed(2)},${(2 + (i % 20)).toFixed(2)},${i % 17},2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,a|b`);
  }
  return lines.join('\n') + '\n';
}

export function eventsCsv(n: number, products: number, prefix = 'p'): string {
  const types = ['impression', 'view', 'click', 'add_to_cart', 'purchase'];
  const lines = ['event_id,customer_id,session_id,product_id,type,placement,position,occurred_at'];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 5, 1) + i * 60_000).toISOString();
    lines.push(`e${i},c${i % 37},,${prefix}${(i * 7) % products},${types[i % 5]},${i % 2 ? 'home' : 'category'},${i % 10},${t}`);
  }
  return lines.join('\n') + '\n';
}

export function ordersCsv(n: number, products: number, prefix = 'p'): string {
  const lines = ['order_id,line_no,customer_id,product_id,quantity,unit_price,ordered_at,status'];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 5, 1) + i * 3_600_000).toISOString();
    lines.push(`o${Math.floor(i / 2)},${(i % 2) + 1},c${i % 37},${prefix}${(i * 3) % products},${1 + (i % 3)},${(5 + (i % 40)).toFixed(2)},${t},placed`);
  }
  return lines.join('\n') + '\n';
}
