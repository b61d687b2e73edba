// Proportional water-filling in whole impressions: `amount` spread in proportion to `weights`, no
// item above its room (items that hit it are filled and the rest re-spread), then rounded to integers
// by largest remainder (ties by index). Each item's share is non-decreasing in `amount`. Shared by
// the allocator's exploration and the simulation's proportional policy.

export function waterFill(weights: ArrayLike<number>, amount: number, room: (i: number) => number): Float64Array {
  const n = weights.length;
  const out = new Float64Array(n);
  if (amount <= 0) return out;
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (weights[i] > 0) active.push(i);
  const share = new Float64Array(n);
  let left = amount;
  let open = active;
  while (left > 1e-9 && open.length > 0) {
    let wsum = 0;
    for (const i of open) wsum += weights[i];
    const next: number[] = [];
    let used = 0;
    for (const i of open) {
      const spare = room(i) - share[i];
      const want = (left * weights[i]) / wsum;
      const take = Math.min(want, spare);
      share[i] += take;
      used += take;
      if (want < spare) next.push(i);
    }
    left -= used;
    if (next.length === open.length) break;
    open = next;
  }
  let given = 0;
  const frac: number[] = [];
  for (const i of active) {
    out[i] = Math.floor(share[i] + 1e-9);
    given += out[i];
    if (share[i] - out[i] > 1e-9) frac.push(i);
  }
  frac.sort((x, y) => share[y] - out[y] - (share[x] - out[x]) || x - y);
  for (let k = 0; k < frac.length && given < amount; k++) {
    out[frac[k]]++;
    given++;
  }
  return out;
}
