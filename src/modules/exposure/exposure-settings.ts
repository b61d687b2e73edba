// Turns a generateExposurePlan input into normalised plan settings, or userErrors naming each bad field.
import { randomInt } from 'node:crypto';
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { userError, type UserError } from '../../graphql/user-error';
import type { GenerateExposurePlanInput } from './exposure.inputs';
import type { PlanSettings } from './exposure-planner';
import type { PlacementRow } from './placement.repository';
import type { ExposurePlanSettings } from './exposure.types';

export const MAX_HORIZON_DAYS = 365;
export const MAX_BUDGET = 1_000_000_000;
const MAX_LIST = 50_000;

const unit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
const count = (v: number) => Number.isInteger(v) && v >= 0 && v <= MAX_BUDGET;

/**
 * Checks every field; `owns` tells which product ids are the merchant's (others behave as unknown).
 * The placement is resolved by the caller (NOT_FOUND there).
 */
export async function toSettings(input: GenerateExposurePlanInput, placement: PlacementRow, owns: (ids: number[]) => Promise<Set<number>>):
  Promise<{ settings: PlanSettings | null; userErrors: UserError[] }> {
  const errors: UserError[] = [];
  const bad = (field: string, message: string, code = 'INVALID') => errors.push(userError(message, code, ['input', field]));
  const horizonDays = input.horizonDays ?? 7;
  const horizonOk = Number.isInteger(horizonDays) && horizonDays >= 1 && horizonDays <= MAX_HORIZON_DAYS;
  if (!horizonOk) bad('horizonDays', `horizonDays must be a whole number of days, 1–${MAX_HORIZON_DAYS}`);
  let budget = input.impressionBudget ?? null;
  const fromPlacement = budget === null;
  if (budget === null) {
    if (!horizonOk) return { settings: null, userErrors: errors };
    budget = placement.slots * placement.expectedDailyImpressions * horizonDays;
    if (budget <= 0) bad('impressionBudget', `The placement "${placement.handle}" expects no daily impressions: give an impressionBudget or set its expectedDailyImpressions`);
    else if (budget > MAX_BUDGET) {
      bad('impressionBudget', `The placement's slots × expected daily impressions × ${horizonDays} days is ${budget.toLocaleString('en')}, over the ${MAX_BUDGET.toLocaleString('en')} a plan can hold: give an impressionBudget or a shorter horizon`, 'TOO_LARGE');
    }
  } else if (!(Number.isInteger(budget) && budget >= 1 && budget <= MAX_BUDGET)) bad('impressionBudget', `impressionBudget must be a whole number 1–${MAX_BUDGET.toLocaleString('en')}`);
  for (const f of ['longTailMinShare', 'explorationShare', 'maxConversionLoss'] as const) {
    if (!unit(input[f])) bad(f, `${f} must be between 0 and 1`);
  }
  const minDefault = input.minImpressionsPerProduct ?? 0;
  const maxDefault = input.maxImpressionsPerProduct ?? null;
  if (!count(minDefault)) bad('minImpressionsPerProduct', 'minImpressionsPerProduct must be a whole number ≥ 0');
  if (maxDefault !== null && (!count(maxDefault) || maxDefault < minDefault)) bad('maxImpressionsPerProduct', 'maxImpressionsPerProduct must be a whole number ≥ minImpressionsPerProduct');
  const categories = [...new Set((input.categories ?? []).map((c) => c.trim()).filter((c) => c.length > 0))];
  const decode = (gids: string[], field: string): number[] => {
    const out: number[] = [];
    gids.forEach((g, i) => {
      const id = intFromGlobalId(g, 'Product');
      if (id === null) errors.push(userError(`No product with id ${g}`, 'NOT_FOUND', ['input', field, String(i)]));
      else out.push(id);
    });
    return out;
  };
  const excluded = decode(input.excludeProductIds ?? [], 'excludeProductIds');
  const boundsIn = input.productBounds ?? [];
  if (boundsIn.length > MAX_LIST || excluded.length > MAX_LIST) bad('productBounds', `At most ${MAX_LIST.toLocaleString('en')} products per list`, 'TOO_LARGE');
  const boundIds = decode(boundsIn.map((b) => b.productId), 'productBounds');
  const productBounds: PlanSettings['productBounds'] = [];
  boundsIn.forEach((b, i) => {
    const id = intFromGlobalId(b.productId, 'Product');
    const lo = b.minImpressions ?? null;
    const hi = b.maxImpressions ?? null;
    if (lo !== null && !count(lo)) errors.push(userError('minImpressions must be a whole number ≥ 0', 'INVALID', ['input', 'productBounds', String(i), 'minImpressions']));
    if (hi !== null && (!count(hi) || hi < (lo ?? minDefault))) errors.push(userError('maxImpressions must be a whole number ≥ the product\'s minImpressions', 'INVALID', ['input', 'productBounds', String(i), 'maxImpressions']));
    if (id !== null) productBounds.push({ productId: id, minImpressions: lo, maxImpressions: hi });
  });
  const mine = await owns([...new Set([...excluded, ...boundIds])]);
  excluded.forEach((id) => { if (!mine.has(id)) bad('excludeProductIds', `No product with id ${toGlobalId('Product', id)}`, 'NOT_FOUND'); });
  productBounds.forEach((b, i) => { if (!mine.has(b.productId)) errors.push(userError(`No product with id ${toGlobalId('Product', b.productId)}`, 'NOT_FOUND', ['input', 'productBounds', String(i), 'productId'])); });
  const seed = input.seed ?? randomInt(0, 2 ** 31 - 1);
  if (!Number.isInteger(seed)) bad('seed', 'seed must be a whole number');
  if (errors.length) return { settings: null, userErrors: errors };
  return {
    settings: {
      placementId: placement.id, horizonDays, impressionBudget: budget!, budgetFromPlacement: fromPlacement, categories,
      excludeProductIds: [...new Set(excluded)].sort((a, b) => a - b), longTailMinShare: input.longTailMinShare,
      explorationShare: input.explorationShare, maxConversionLoss: input.maxConversionLoss,
      minImpressionsPerProduct: minDefault, maxImpressionsPerProduct: maxDefault, productBounds, seed,
    },
    userErrors: [],
  };
}

export function settingsView(s: PlanSettings): ExposurePlanSettings {
  return {
    horizonDays: s.horizonDays, impressionBudget: s.impressionBudget, budgetFromPlacement: s.budgetFromPlacement, categories: s.categories,
    excludeProductIds: s.excludeProductIds.map((id) => toGlobalId('Product', id)), longTailMinShare: s.longTailMinShare,
    explorationShare: s.explorationShare, maxConversionLoss: s.maxConversionLoss, minImpressionsPerProduct: s.minImpressionsPerProduct,
    maxImpressionsPerProduct: s.maxImpressionsPerProduct, seed: s.seed,
    productBounds: s.productBounds.map((b) => ({ productId: toGlobalId('Product', b.productId), minImpressions: b.minImpressions, maxImpressions: b.maxImpressions })),
  };
}
