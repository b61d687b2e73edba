// Time-based splits: rows are assigned to train / validation / test by their timestamp, with cut
// points at quantiles of the timestamps, so every validation and test row happens after every
// training row (no look-ahead). A row exactly at a cut instant belongs to the later part.

export interface TimeSplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  /** First instant (ms) of validation and of test; rows at or after are in the later part. */
  validationFrom: number;
  testFrom: number;
}

export interface TimeSplitOptions {
  /** Share of rows (by time quantile) in validation and test; defaults 0.1 and 0.2. */
  validationShare?: number;
  testShare?: number;
  /** Or explicit cut instants (ms), which win over the shares. */
  validationFrom?: number;
  testFrom?: number;
  /** Drop training rows within this many ms before validationFrom (labels that look past the cut). */
  purgeMs?: number;
}

/** The value at quantile q of `times` (nearest rank). */
export function timeQuantile(times: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(times as ArrayLike<number>).sort();
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)));
  return sorted[k];
}

export function timeSplit(times: ArrayLike<number>, opts: TimeSplitOptions = {}): TimeSplit {
  const vShare = opts.validationShare ?? 0.1;
  const tShare = opts.testShare ?? 0.2;
  if (vShare < 0 || tShare < 0 || vShare + tShare >= 1) throw new Error('validation + test shares must be in [0, 1)');
  let testFrom = opts.testFrom;
  let validationFrom = opts.validationFrom;
  if (testFrom === undefined || validationFrom === undefined) {
    const sorted = Float64Array.from(times as ArrayLike<number>).sort();
    const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    testFrom ??= tShare > 0 ? at(1 - tShare) : Infinity;
    validationFrom ??= vShare > 0 ? at(1 - tShare - vShare) : testFrom;
  }
  const purgeFrom = validationFrom - (opts.purgeMs ?? 0);
  let nTrain = 0, nVal = 0, nTest = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t >= testFrom) nTest++;
    else if (t >= validationFrom) nVal++;
    else if (t < purgeFrom) nTrain++;
  }
  const train = new Int32Array(nTrain);
  const validation = new Int32Array(nVal);
  const test = new Int32Array(nTest);
  nTrain = nVal = nTest = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t >= testFrom) test[nTest++] = i;
    else if (t >= validationFrom) validation[nVal++] = i;
    else if (t < purgeFrom) train[nTrain++] = i;
  }
  return { train, validation, test, validationFrom, testFrom };
}
