// The per-row "context" input of the model's head: point-in-time history (history-state.ts), the
// product's age at the exposure (launch window, launch promotion), where and when it was shown, and
// the customer's small attributes. One function writes it for training, evaluation and serving, so
// the three can never disagree.
import { NUM_HISTORY } from './history-state';
import { DIRECT_PLACEMENT, PLACEMENT_HANDLES } from './types';

const DAY_MS = 86_400_000;
/** At most this many segment / country values get their own one-hot slot (the rest share one). */
export const MAX_SEGMENTS = 4;
export const MAX_COUNTRIES = 12;

export interface ContextSchema {
  segments: number;
  countries: number;
  /** Shop time zone offset (minutes) for weekday and hour. */
  utcOffsetMinutes: number;
  /** The model's placement vocabulary (absent in models trained before it existed: the base handles). */
  placements?: readonly string[];
}

export function placementsOf(schema: ContextSchema): readonly string[] {
  return schema.placements ?? PLACEMENT_HANDLES;
}

/** One-hot slots for the placement: one per vocabulary handle, plus unknown. */
export function placementSlots(schema: ContextSchema): number {
  return placementsOf(schema).length + 1;
}

export function segmentSlots(schema: ContextSchema): number {
  return Math.min(schema.segments, MAX_SEGMENTS) + 1;
}

export function countrySlots(schema: ContextSchema): number {
  return Math.min(schema.countries, MAX_COUNTRIES) + 1;
}

/** Width of the context vector. */
export function contextDim(schema: ContextSchema): number {
  return NUM_HISTORY + 7 + placementSlots(schema) + 7 + 2 + segmentSlots(schema) + countrySlots(schema);
}

export interface RowContext {
  customer: number;
  placement: number;
  position: number;
  time: number;
  /** Product launch (or creation) instant, NaN when unknown. */
  productSince: number;
  segment: number;
  country: number;
  customerSince: number;
}

/**
 * Writes the non-history part of a row's context at out[offset + NUM_HISTORY ...]; the caller writes
 * the NUM_HISTORY history features first (HistoryState.features at the same offset).
 */
export function writeContext(schema: ContextSchema, r: RowContext, out: Float32Array, offset: number): void {
  let o = offset + NUM_HISTORY;
  const ageDays = Number.isFinite(r.productSince) ? (r.time - r.productSince) / DAY_MS : NaN;
  const known = Number.isFinite(ageDays);
  out[o++] = known ? Math.log1p(Math.max(0, ageDays)) / 5 : 1;
  out[o++] = known && ageDays < 56 ? 1 : 0;
  out[o++] = known && ageDays < 28 ? 1 : 0;
  out[o++] = known ? 0 : 1;
  const direct = r.placement === DIRECT_PLACEMENT;
  out[o++] = direct ? 0 : Math.log1p(Math.max(0, r.position));
  out[o++] = !direct && r.position === 0 ? 1 : 0;
  out[o++] = r.customer < 0 ? 1 : 0;
  const ps = placementSlots(schema);
  for (let k = 0; k < ps; k++) out[o + k] = 0;
  out[o + Math.min(Math.max(r.placement, 0), ps - 1)] = 1;
  o += ps;
  const local = r.time + schema.utcOffsetMinutes * 60_000;
  const day = Math.floor(local / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday → Monday = 0
  for (let k = 0; k < 7; k++) out[o + k] = 0;
  out[o + weekday] = 1;
  o += 7;
  const hour = (local - day * DAY_MS) / 3_600_000;
  out[o++] = Math.sin((2 * Math.PI * hour) / 24);
  out[o++] = Math.cos((2 * Math.PI * hour) / 24);
  const ss = segmentSlots(schema);
  for (let k = 0; k < ss; k++) out[o + k] = 0;
  out[o + (r.segment >= 0 && r.segment < ss - 1 ? r.segment : ss - 1)] = 1;
  o += ss;
  const cs = countrySlots(schema);
  for (let k = 0; k < cs; k++) out[o + k] = 0;
  out[o + (r.country >= 0 && r.country < cs - 1 ? r.country : cs - 1)] = 1;
}
