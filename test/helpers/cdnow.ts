// The CDNOW 1/10 sample (2,357 customers, 6,919 lines) as a purchase log, for the CLV tests.
//
// Data: CDNOW customer purchase data, 1/10 systematic sample of the January–March 1997 cohort, as
// published by Bruce Hardie (brucehardie.com/datasets) and copied from the lifetimes repository
// (CamDavidsonPilon/lifetimes @ 4f2833f, lifetimes/datasets/); see ../shared/data/cdnow/PROVENANCE.md.
// File layout (CDNOW_sample.txt, CRLF, whitespace-separated, no header): master customer id, sample
// customer id 1..2357, date YYYYMMDD, number of CDs, dollar value.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** ../shared/data/cdnow next to the repository (found from source or from dist/). */
export const CDNOW_DIR = ((): string => {
  for (let dir = __dirname, k = 0; k < 6; k++, dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), 'shared', 'data', 'cdnow');
    if (existsSync(candidate)) return candidate;
  }
  return path.resolve(__dirname, '../../../shared/data/cdnow');
})();

export function loadCdnowSample(): { customer: Int32Array; timeMs: Float64Array; amount: Float64Array } {
  const file = path.join(CDNOW_DIR, 'CDNOW_sample.txt.gz');
  if (!existsSync(file)) {
    throw new Error(
      `CDNOW data not found at ${file}. These tests need ../shared/data/cdnow next to the repository ` +
        '(CDNOW_sample.txt.gz and cdnow_customers_summary_with_transactions.csv; see its PROVENANCE.md).',
    );
  }
  const lines = gunzipSync(readFileSync(file)).toString('latin1').split(/\r?\n/).filter((l) => l.trim() !== '');
  const n = lines.length;
  const customer = new Int32Array(n);
  const timeMs = new Float64Array(n);
  const amount = new Float64Array(n);
  lines.forEach((line, i) => {
    const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
    customer[i] = Number(sampleId) - 1;
    timeMs[i] = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
    amount[i] = Number(dollars);
  });
  return { customer, timeMs, amount };
}
