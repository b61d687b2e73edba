// Chooses and fits the post-hoc calibrator on the validation slice: Platt and isotonic are each fitted
// on the earlier half of the slice (by time) and compared on the later half; the winner (by log loss)
// is refitted on the whole slice. Isotonic needs enough positives to beat Platt, so small shops get Platt.
import { fitIsotonic, fitPlatt, calibrateAll, type Calibrator } from '../calibration';
import { ece, logLoss } from '../metrics';

export type CalibrationChoice = 'auto' | 'platt' | 'isotonic' | 'none';

export interface CalibrationReport {
  method: Calibrator['kind'];
  /** On the validation slice (in-sample for the calibrator): before → after. */
  validation: { logLossBefore: number; logLossAfter: number; eceBefore: number; eceAfter: number };
  /** Held-out comparison that chose the method ('auto' only): log loss on the later half. */
  candidates?: Record<string, number>;
}

export function chooseCalibrator(p: Float32Array, y: Uint8Array, time: Float64Array, choice: CalibrationChoice): { calibrator: Calibrator; report: CalibrationReport } {
  let calibrator: Calibrator = { kind: 'none' };
  let candidates: Record<string, number> | undefined;
  if (choice === 'platt') calibrator = fitPlatt(p, y);
  else if (choice === 'isotonic') calibrator = fitIsotonic(p, y);
  else if (choice === 'auto') {
    const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => time[a] - time[b]);
    const half = order.length >> 1;
    const a = order.slice(0, half);
    const b = order.slice(half);
    const pick = (rows: number[]) => ({ p: Float32Array.from(rows, (i) => p[i]), y: Uint8Array.from(rows, (i) => y[i]) });
    const fitSet = pick(a);
    const testSet = pick(b);
    candidates = {
      none: logLoss(testSet.p, testSet.y),
      platt: logLoss(calibrateAll(fitPlatt(fitSet.p, fitSet.y), testSet.p), testSet.y),
      isotonic: logLoss(calibrateAll(fitIsotonic(fitSet.p, fitSet.y), testSet.p), testSet.y),
    };
    const best = (Object.keys(candidates) as (keyof typeof candidates)[]).reduce((m, k) => (candidates![k] < candidates![m] ? k : m), 'none');
    calibrator = best === 'platt' ? fitPlatt(p, y) : best === 'isotonic' ? fitIsotonic(p, y) : { kind: 'none' };
  }
  const after = calibrateAll(calibrator, p);
  return {
    calibrator,
    report: {
      method: calibrator.kind,
      validation: { logLossBefore: logLoss(p, y), logLossAfter: logLoss(after, y), eceBefore: ece(p, y).ece, eceAfter: ece(after, y).ece },
      candidates,
    },
  };
}
