// Exposure plans: generate (validated, with a synchronous feasibility preflight through the same
// planning function the job runs), re-plan, approve → activate → archive, read, measure after
// launch, and serve the active plan to a storefront.
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { decodeCursor, toConnection } from '../../graphql/relay';
import { userError, type UserError } from '../../graphql/user-error';
import type { ExposurePlanStatus } from '../../db/generated/enums';
import type { Database } from '../../db/database';
import type { JobService } from '../jobs/job.service';
import type { JobRow } from '../jobs/job.repository';
import { DAY_MS, merchantNow } from '../catalog/data-clock';
import { BadInputError } from '../shared/errors';
import type { ExposureDataRepository } from './exposure-data.repository';
import type { ExposurePlanRepository, PlanRow, AllocationSort } from './exposure-plan.repository';
import { DEFAULT_LABEL_WINDOW_DAYS, posteriorMean, type ExposurePlanner, type PlanOutcome, type PlanSettings, type PlanTotals, type StoredCurvePoint } from './exposure-planner';
import { performanceFigures } from './exposure-performance';
import { settingsView, toSettings } from './exposure-settings';
import type { GenerateExposurePlanInput } from './exposure.inputs';
import type { ExposurePlan, ExposureTradeoffPoint } from './exposure.types';
import type { PlacementRepository } from './placement.repository';

export interface PlanJobResult { job: JobRow | null; tradeoffCurve: ExposureTradeoffPoint[]; maxFeasibleLongTailShare: number | null; userErrors: UserError[] }

const MAX_ITEMS = 250;

export function planFromRow(r: PlanRow): ExposurePlan {
  const totals = r.totals as PlanTotals;
  return {
    id: toGlobalId('ExposurePlan', r.id), internalId: r.id, placementInternalId: r.placementId, version: r.version, status: r.status,
    settings: settingsView(r.input as PlanSettings), totals: totals as never, tradeoffCurve: r.curve as StoredCurvePoint[],
    offPolicyEstimate: (r.offPolicy ?? null) as never, parentPlanId: r.parentPlanId === null ? null : toGlobalId('ExposurePlan', r.parentPlanId),
    createdAt: r.createdAt, approvedAt: r.approvedAt, activatedAt: r.activatedAt, archivedAt: r.archivedAt,
  };
}

/** The userError a failed preflight becomes. */
function outcomeError(o: Extract<PlanOutcome, { feasible: false }>): UserError {
  switch (o.reason) {
    case 'NO_CANDIDATES': return userError(o.message, 'NO_CANDIDATES', ['input', 'categories']);
    case 'FLOORS_EXCEED_BUDGET': return userError(o.message, 'FLOORS_EXCEED_BUDGET', ['input', 'impressionBudget']);
    case 'NO_CAPACITY': return userError(o.message, 'NO_CAPACITY', ['input', 'maxImpressionsPerProduct']);
    default: {
      const share = `${((o.maxFeasibleLongTailShare ?? 0) * 100).toFixed(2)}%`;
      return userError(o.message.includes(share) ? o.message : `${o.message} (largest feasible long-tail share: ${share})`, o.reason, ['input', 'longTailMinShare']);
    }
  }
}

export class ExposureService {
  constructor(
    private readonly db: Database,
    private readonly plans: ExposurePlanRepository,
    private readonly placements: PlacementRepository,
    private readonly data: ExposureDataRepository,
    private readonly planner: ExposurePlanner,
    private readonly jobs: JobService,
  ) {}

  private async placementOf(merchantId: number, gid: string) {
    const id = intFromGlobalId(gid, 'Placement');
    return id === null ? null : this.placements.find(merchantId, id);
  }

  private async planOf(merchantId: number, gid: string): Promise<PlanRow | null> {
    const id = intFromGlobalId(gid, 'ExposurePlan');
    return id === null ? null : this.plans.find(merchantId, id);
  }

  /** Validates, runs the preflight, and enqueues the job that plans and stores the same settings. */
  async generate(merchantId: number, input: GenerateExposurePlanInput): Promise<PlanJobResult> {
    return this.checkInput(merchantId, input, (settings) => this.preflightAndStart(merchantId, settings, null, null));
  }

  /** The preflight alone (what generate would answer, without starting a job). */
  async preflight(merchantId: number, input: GenerateExposurePlanInput): Promise<PlanJobResult> {
    return this.checkInput(merchantId, input, (settings) => this.preflightAndStart(merchantId, settings, null, null, false));
  }

  private async checkInput(merchantId: number, input: GenerateExposurePlanInput, then: (s: PlanSettings) => Promise<PlanJobResult>): Promise<PlanJobResult> {
    const none = { job: null, tradeoffCurve: [], maxFeasibleLongTailShare: null };
    const placement = await this.placementOf(merchantId, input.placementId);
    if (!placement) return { ...none, userErrors: [userError('No placement with this id', 'NOT_FOUND', ['input', 'placementId'])] };
    const { settings, userErrors } = await toSettings(input, placement, (ids) => this.data.ownProducts(merchantId, ids));
    return settings ? then(settings) : { ...none, userErrors };
  }

  /** A new DRAFT version of the plan's placement with the same settings, posteriors updated with the data since activation. */
  async replan(merchantId: number, planGid: string): Promise<PlanJobResult> {
    const plan = await this.planOf(merchantId, planGid);
    if (!plan) return { job: null, tradeoffCurve: [], maxFeasibleLongTailShare: null, userErrors: [userError('No exposure plan with this id', 'NOT_FOUND', ['planId'])] };
    return this.preflightAndStart(merchantId, plan.input as PlanSettings, plan.id, plan.activatedAt);
  }

  private async preflightAndStart(merchantId: number, settings: PlanSettings, parentPlanId: number | null, observedFrom: Date | null, start = true): Promise<PlanJobResult> {
    const placement = await this.placements.find(merchantId, settings.placementId);
    if (!placement) return { job: null, tradeoffCurve: [], maxFeasibleLongTailShare: null, userErrors: [userError('No placement with this id', 'NOT_FOUND', ['input', 'placementId'])] };
    const outcome = await this.planner.plan(merchantId, placement, settings, { observedFrom });
    if (!outcome.feasible) {
      return { job: null, tradeoffCurve: outcome.curve, maxFeasibleLongTailShare: outcome.maxFeasibleLongTailShare, userErrors: [outcomeError(outcome)] };
    }
    if (!start) return { job: null, tradeoffCurve: outcome.curve, maxFeasibleLongTailShare: null, userErrors: [] };
    const job = await this.jobs.start(merchantId, 'plan-exposure', { settings, parentPlanId });
    return { job, tradeoffCurve: outcome.curve, maxFeasibleLongTailShare: null, userErrors: [] };
  }

  /**
   * The job's work: plan as of now, then (unless `proceed` says the job was cancelled meanwhile) store
   * plan + allocations in one transaction. Idempotent per job: a retry finds the stored plan.
   */
  async runPlanJob(merchantId: number, jobId: string, settings: PlanSettings, parentPlanId: number | null,
    proceed: () => Promise<boolean> = async () => true): Promise<{ plan: PlanRow } | { error: string } | { cancelled: true }> {
    const done = await this.plans.findByJob(merchantId, jobId);
    if (done) return { plan: done };
    const placement = await this.placements.find(merchantId, settings.placementId);
    if (!placement) return { error: 'The placement no longer exists' };
    const parent = parentPlanId === null ? null : await this.plans.find(merchantId, parentPlanId);
    const outcome = await this.planner.plan(merchantId, placement, settings, { observedFrom: parent?.activatedAt ?? null });
    if (!outcome.feasible) return { error: outcomeError(outcome).message };
    if (!(await proceed())) return { cancelled: true };
    return { plan: await this.plans.store(merchantId, { placementId: placement.id, jobId, parentPlanId, settings, ...outcome }) };
  }

  async get(merchantId: number, gid: string): Promise<ExposurePlan | null> {
    const row = await this.planOf(merchantId, gid);
    return row ? planFromRow(row) : null;
  }

  async byId(merchantId: number, id: number): Promise<ExposurePlan | null> {
    const row = await this.plans.find(merchantId, id);
    return row ? planFromRow(row) : null;
  }

  async list(merchantId: number, a: { first: number; after?: string; placementId?: string; status?: ExposurePlanStatus }) {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    let placementId: number | undefined;
    if (a.placementId) {
      const p = await this.placementOf(merchantId, a.placementId);
      if (!p) return toConnection([], a.first, Boolean(after), () => [], planFromRow);
      placementId = p.id;
    }
    const rows = await this.plans.list(merchantId, { placementId, status: a.status }, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], planFromRow);
  }

  async allocations(merchantId: number, planId: number, a: { first: number; after?: string; sortKey: AllocationSort; reverse: boolean; exposedOnly: boolean }) {
    const after = decodeCursor(a.after, ['number', 'int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.plans.allocations(merchantId, planId, {
      sort: a.sortKey, reverse: a.reverse, exposedOnly: a.exposedOnly, take: a.first + 1, after: after ? [Number(after[0]), Number(after[1])] : null,
    });
    const key = (r: (typeof rows)[number]) => [a.sortKey === 'IMPRESSIONS' ? r.impressions : a.sortKey === 'EXPECTED_CONVERSIONS' ? r.expectedConversions : r.productId, r.id];
    return toConnection(rows, a.first, Boolean(after), key, (r) => ({ ...r, posteriorMean: posteriorMean(r.posteriorAlpha, r.posteriorBeta) }));
  }

  async approve(merchantId: number, gid: string) {
    return this.transition(merchantId, gid, 'DRAFT', async (id) => this.plans.approve(merchantId, id, await merchantNow(this.db, merchantId)));
  }

  async activate(merchantId: number, gid: string) {
    return this.transition(merchantId, gid, 'APPROVED', async (id) => (await this.plans.activate(merchantId, id, await merchantNow(this.db, merchantId)))?.plan ?? null);
  }

  async archive(merchantId: number, gid: string) {
    return this.transition(merchantId, gid, null, async (id) => this.plans.archive(merchantId, id, await merchantNow(this.db, merchantId)));
  }

  private async transition(merchantId: number, gid: string, from: ExposurePlanStatus | null, move: (id: number) => Promise<PlanRow | null>) {
    const plan = await this.planOf(merchantId, gid);
    if (!plan) return { exposurePlan: null, userErrors: [userError('No exposure plan with this id', 'NOT_FOUND', ['id'])] };
    const moved = await move(plan.id);
    if (!moved) {
      const now = (await this.plans.find(merchantId, plan.id))!;
      const need = from ? `it must be ${from}` : 'it is archived already';
      return { exposurePlan: null, userErrors: [userError(`The plan is ${now.status}: ${need}`, 'INVALID_STATE', ['id'])] };
    }
    return { exposurePlan: planFromRow(moved), userErrors: [] };
  }

  async performance(merchantId: number, gid: string, first: number) {
    if (first < 1 || first > MAX_ITEMS) throw new BadInputError(`first must be 1–${MAX_ITEMS}`, 'first');
    const plan = await this.planOf(merchantId, gid);
    if (!plan) return null;
    const s = plan.input as PlanSettings;
    const now = await merchantNow(this.db, merchantId);
    const since = plan.activatedAt;
    const allocations = await this.plans.allAllocations(merchantId, plan.id);
    const windowDays = Number((plan.totals as PlanTotals).labelWindowDays ?? DEFAULT_LABEL_WINDOW_DAYS);
    // Served impressions after activation (a data-clock instant: the events at it came before) up to archiving or now.
    const until = plan.status === 'ARCHIVED' && plan.archivedAt && plan.archivedAt < now ? plan.archivedAt : now;
    if (since && until < since) return { plan: planFromRow(plan), since, until: since, ...performanceFigures(allocations, { byProduct: new Map(), impressions: 0, purchases: 0, clicks: 0 }, 0), products: [], replanCandidates: [] };
    const served = since
      ? await this.data.observations(merchantId, plan.placementId, since, until, windowDays * DAY_MS)
      : { byProduct: new Map(), impressions: 0, purchases: 0, clicks: 0 };
    const elapsed = since ? Math.min(1, Math.max(0, (until.getTime() - since.getTime()) / (s.horizonDays * DAY_MS))) : 0;
    const f = performanceFigures(allocations, served, elapsed);
    return { plan: planFromRow(plan), since, until, ...f, products: f.products.slice(0, first), replanCandidates: f.replanCandidates.slice(0, first) };
  }

  /** The placement's active plan as a storefront serves it: products with weights and what remains to serve. */
  async activePlan(merchantId: number, handle: string, first: number) {
    if (first < 1 || first > MAX_ITEMS) throw new BadInputError(`first must be 1–${MAX_ITEMS}`, 'first');
    const placement = await this.placements.findByHandle(merchantId, handle);
    const plan = placement ? await this.plans.active(merchantId, placement.id) : null;
    if (!placement || !plan) return null;
    const s = plan.input as PlanSettings;
    const now = await merchantNow(this.db, merchantId);
    const allocations = (await this.plans.allocations(merchantId, plan.id, { sort: 'IMPRESSIONS', reverse: true, exposedOnly: true, take: first, after: null }));
    const served = plan.activatedAt ? await this.data.servedCounts(merchantId, placement.id, plan.activatedAt, now, allocations.map((a) => a.productId)) : new Map<number, number>();
    const total = (plan.totals as PlanTotals).impressions || 1;
    return {
      planId: toGlobalId('ExposurePlan', plan.id), version: plan.version, placementHandle: placement.handle, slots: placement.slots,
      horizonDays: s.horizonDays, activatedAt: plan.activatedAt,
      items: allocations.map((a) => ({ productId: a.productId, impressions: a.impressions, weight: a.impressions / total, remaining: Math.max(0, a.impressions - (served.get(a.productId) ?? 0)) })),
    };
  }
}
