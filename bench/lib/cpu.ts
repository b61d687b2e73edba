// Machine-wide CPU use from /proc/stat (Linux), to tell "the API is slow" from "the box is saturated".
import { readFileSync } from 'node:fs';

export interface CpuSample { busy: number; total: number }

export function sampleMachineCpu(): CpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0); // idle + iowait
    const total = v.reduce((s, x) => s + x, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Share of all cores busy between two samples (0..1). */
export function busyShare(a?: CpuSample, b?: CpuSample): number {
  if (!a || !b || b.total === a.total) return NaN;
  return (b.busy - a.busy) / (b.total - a.total);
}
