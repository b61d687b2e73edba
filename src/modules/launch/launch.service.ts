// Launch planning: the DRAFT → PLANNED → LAUNCHED → REVIEWED flow with validation (userErrors,
// nothing written on a bad input), the training and planning jobs, and the launch's views.
import type { Database } from '../../db/database';
import type { LaunchStatus } from '../../db/generated/enums';
import { intFromGlobalId } from '../../graphql/global-id';
import { decodeCursor, toConnection } from '../../graphql/relay';
import { userError, type UserError } from '../../graphql/user-error';
import { merchantNow } from '../catalog/data-clock';
import type { JobRow } from '../jobs/job.repository';
import type { JobService } from '../jobs/job.service';
import type { ModelService } from '../models/model.service';
import { BadInputError } from '../shared/errors';
import { launchWeeks, validateLaunch, type LaunchConfig, type LaunchDraft } from './launch-config';
import type { LaunchDataRepository } from './launch-data.repository';
import { comparePerformance } from './launch-performance';
import type { CreateLaunchInput, LaunchProductInput, UpdateLaunchInput } from './launch.inputs';
import { LaunchObjective } from './launch.inputs';
import type { LaunchRepository, LaunchRow, ScenarioRow } from './launch.repository';
import { toLaunch, toScenario } from './launch.mapper';
import type { Launch, LaunchScenario } from './launch.types';

type Result<K extends string, T> = { [P in K]: T | null } & { userErrors: UserError[] };

const notFound = (field = 'id') => [userError('No launch with this id', 'NOT_FOUND', [field])];

export class LaunchService {
  constructor(
    private readonly db: Database,
    private readonly repo: LaunchRepository,
    private readonly data: LaunchDataRepository,
    private readonly models: ModelService,
    private readonly jobs: JobService,
    /** Told when launching turned DRAFT products ACTIVE (caches of the catalogue refresh). */
    private readonly productsChanged: (merchantId: number) => void = () => undefined,
  ) {}

  private async row(merchantId: number, gid: string): Promise<LaunchRow | null> {
    const id = intFromGlobalId(gid, 'Launch');
    return id === null ? null : this.repo.find(merchantId, id);
  }

  private async known(merchantId: number, products: Array<{ productId: number | null }>) {
    const ids = products.map((p) => p.productId).filter((x): x is number => x !== null);
    const rows = ids.length ? await this.data.catalogueProducts(merchantId, ids) : [];
    return new Map(rows.map((r) => [r.id, { price: r.price, cost: r.cost }]));
  }

  private static products(input: LaunchProductInput[]) {
    return input.map((p) => ({ productId: intFromGlobalId(p.productId, 'Product'), inventory: p.inventory ?? null, unitCost: p.unitCost ?? null }));
  }

  async get(merchantId: number, gid: string): Promise<Launch | null> {
    const r = await this.row(merchantId, gid);
    return r ? toLaunch(r) : null;
  }

  async byId(merchantId: number, id: number): Promise<Launch | null> {
    const r = await this.repo.find(merchantId, id);
    return r ? toLaunch(r) : null;
  }

  async list(merchantId: number, a: { first: number; after?: string; status?: LaunchStatus }) {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.repo.list(merchantId, a.status, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], toLaunch);
  }

  async create(merchantId: number, input: CreateLaunchInput): Promise<Result<'launch', Launch>> {
    const draft: Required<LaunchDraft> = {
      name: input.name, startDate: input.startDate, endDate: input.endDate, objective: input.objective ?? LaunchObjective.GROSS_MARGIN,
      priceMultipliers: input.priceMultipliers ?? [1], promotions: input.promotions ?? [{ discount: 0, weeks: 0 }],
      exposureBudgets: input.exposureBudgets ?? [], products: LaunchService.products(input.products ?? []),
    };
    const { launch, userErrors } = validateLaunch(draft, await this.known(merchantId, draft.products), await merchantNow(this.db, merchantId));
    if (!launch) return { launch: null, userErrors };
    return { launch: toLaunch(await this.repo.create(merchantId, launch)), userErrors: [] };
  }

  async update(merchantId: number, gid: string, input: UpdateLaunchInput): Promise<Result<'launch', Launch>> {
    const current = await this.row(merchantId, gid);
    if (!current) return { launch: null, userErrors: notFound() };
    if (current.status !== 'DRAFT' && current.status !== 'PLANNED') {
      return { launch: null, userErrors: [userError(`A ${current.status.toLowerCase()} launch can no longer be edited`, 'INVALID_STATUS', ['id'])] };
    }
    const cfg = current.config as unknown as LaunchConfig;
    const draft: Required<LaunchDraft> = {
      name: input.name ?? current.name, startDate: input.startDate ?? current.startDate, endDate: input.endDate ?? current.endDate,
      objective: input.objective ?? current.objective, priceMultipliers: input.priceMultipliers ?? cfg.priceMultipliers,
      promotions: input.promotions ?? cfg.promotions, exposureBudgets: input.exposureBudgets ?? cfg.exposureBudgets,
      products: input.products ? LaunchService.products(input.products) : cfg.products,
    };
    const { launch, userErrors } = validateLaunch(draft, await this.known(merchantId, draft.products), await merchantNow(this.db, merchantId));
    if (!launch) return { launch: null, userErrors };
    if (!(await this.repo.update(merchantId, current.id, ['DRAFT', 'PLANNED'], launch))) {
      return { launch: null, userErrors: [userError('The launch changed status meanwhile; reload it', 'INVALID_STATUS', ['id'])] };
    }
    return { launch: await this.byId(merchantId, current.id), userErrors: [] };
  }

  async remove(merchantId: number, gid: string): Promise<{ deletedLaunchId: string | null; userErrors: UserError[] }> {
    const current = await this.row(merchantId, gid);
    if (!current) return { deletedLaunchId: null, userErrors: notFound() };
    if (current.status !== 'DRAFT' || !(await this.repo.deleteDraft(merchantId, current.id))) {
      return { deletedLaunchId: null, userErrors: [userError(`Only DRAFT launches can be deleted; this one is ${current.status}`, 'INVALID_STATUS', ['id'])] };
    }
    return { deletedLaunchId: gid, userErrors: [] };
  }

  async choose(merchantId: number, launchGid: string, scenarioGid: string): Promise<Result<'launch', Launch>> {
    const current = await this.row(merchantId, launchGid);
    if (!current) return { launch: null, userErrors: notFound('launchId') };
    if (current.status !== 'PLANNED') return { launch: null, userErrors: [userError(`Scenarios can be chosen only for a PLANNED launch; this one is ${current.status}`, 'INVALID_STATUS', ['launchId'])] };
    const sid = intFromGlobalId(scenarioGid, 'LaunchScenario');
    const scenario = sid === null ? null : await this.repo.scenario(merchantId, sid);
    if (!scenario || scenario.launchId !== current.id) return { launch: null, userErrors: [userError('No scenario with this id in this launch', 'NOT_FOUND', ['scenarioId'])] };
    if (!(await this.repo.setChosen(merchantId, current.id, scenario.id))) return { launch: null, userErrors: [userError('The launch changed status meanwhile', 'INVALID_STATUS', ['launchId'])] };
    return { launch: await this.byId(merchantId, current.id), userErrors: [] };
  }

  /** The chosen scenario, else the recommended one. */
  private async servingScenario(merchantId: number, l: LaunchRow): Promise<ScenarioRow | null> {
    if (l.chosenScenarioId !== null) {
      const s = await this.repo.scenario(merchantId, l.chosenScenarioId);
      if (s) return s;
    }
    const [best] = await this.repo.scenarios(merchantId, l.id, 1, null);
    return best ?? null;
  }

  async markLaunched(merchantId: number, gid: string, launchedAt?: Date | null): Promise<Result<'launch', Launch>> {
    const current = await this.row(merchantId, gid);
    if (!current) return { launch: null, userErrors: notFound() };
    if (current.status !== 'PLANNED') return { launch: null, userErrors: [userError(`Only a PLANNED launch can be launched; this one is ${current.status}`, 'INVALID_STATUS', ['id'])] };
    if (launchedAt && !Number.isFinite(launchedAt.getTime())) return { launch: null, userErrors: [userError('launchedAt is not a valid date', 'INVALID', ['launchedAt'])] };
    const scenario = await this.servingScenario(merchantId, current);
    const at = launchedAt ?? (scenario ? new Date(scenario.params.launchDate) : current.startDate);
    if (!(await this.repo.markLaunched(merchantId, current.id, at))) return { launch: null, userErrors: [userError('The launch changed status meanwhile', 'INVALID_STATUS', ['id'])] };
    this.productsChanged(merchantId);
    return { launch: await this.byId(merchantId, current.id), userErrors: [] };
  }

  async review(merchantId: number, gid: string): Promise<Result<'launch', Launch>> {
    const current = await this.row(merchantId, gid);
    if (!current) return { launch: null, userErrors: notFound() };
    if (current.status !== 'LAUNCHED') return { launch: null, userErrors: [userError(`Only a LAUNCHED launch can be reviewed; this one is ${current.status}`, 'INVALID_STATUS', ['id'])] };
    const perf = await this.performanceOf(merchantId, current);
    const ok = await this.repo.storeReview(merchantId, current.id, {
      reviewedAt: new Date().toISOString(), wape: perf?.wape ?? null, actualUnits: perf?.actualUnits ?? 0, forecastUnits: perf?.forecastUnits ?? 0,
      weeksElapsed: perf?.weeksElapsed ?? 0, alerts: perf?.alerts.length ?? 0,
    });
    if (!ok) return { launch: null, userErrors: [userError('The launch changed status meanwhile', 'INVALID_STATUS', ['id'])] };
    return { launch: await this.byId(merchantId, current.id), userErrors: [] };
  }

  async startTraining(merchantId: number, input: { weeks: number; epochs?: number | null; force: boolean }): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    const errors: UserError[] = [];
    if (!Number.isInteger(input.weeks) || input.weeks < 1 || input.weeks > 26) errors.push(userError('weeks must be 1–26', 'INVALID', ['input', 'weeks']));
    if (input.epochs != null && (!Number.isInteger(input.epochs) || input.epochs < 1 || input.epochs > 500)) errors.push(userError('epochs must be 1–500', 'INVALID', ['input', 'epochs']));
    if (errors.length) return { job: null, userErrors: errors };
    return { job: await this.jobs.start(merchantId, 'train-demand', { weeks: input.weeks, force: input.force, ...(input.epochs != null ? { epochs: input.epochs } : {}) }), userErrors: [] };
  }

  async startPlanning(merchantId: number, gid: string): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    const current = await this.row(merchantId, gid);
    if (!current) return { job: null, userErrors: notFound('launchId') };
    if (current.status !== 'DRAFT' && current.status !== 'PLANNED') {
      return { job: null, userErrors: [userError(`A ${current.status.toLowerCase()} launch cannot be re-planned`, 'INVALID_STATUS', ['launchId'])] };
    }
    if (current.startDate.getTime() < (await merchantNow(this.db, merchantId)).getTime() - 86_400_000) {
      return { job: null, userErrors: [userError('The launch\'s start date is now in the past: update its dates first', 'DATE_IN_PAST', ['launchId'])] };
    }
    const model = await this.models.active(merchantId, 'DEMAND');
    if (!model) return { job: null, userErrors: [userError('No active demand model: run trainDemandModel first', 'NO_MODEL', ['launchId'])] };
    return { job: await this.jobs.start(merchantId, 'plan-launch', { launchId: current.id, modelVersionId: model.id }), userErrors: [] };
  }

  // ---- views ----

  settings(l: Launch) {
    const dates = launchWeeks(l.startDate, l.endDate);
    const c = l.config;
    return {
      priceMultipliers: c.priceMultipliers, promotions: c.promotions, exposureBudgets: c.exposureBudgets.map((b) => ({ ...b, costPerThousand: b.costPerThousand ?? 0 })),
      products: c.products.map((p) => ({ ...p })), launchDates: dates,
      gridSize: c.priceMultipliers.length * c.promotions.length * c.exposureBudgets.length * dates.length,
    };
  }

  async scenarios(merchantId: number, l: Launch, a: { first: number; after?: string }) {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.repo.scenarios(merchantId, l.internalId, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.rank], (r) => toScenario(r, l.chosenScenarioId));
  }

  async topScenarios(merchantId: number, l: Launch, n: number): Promise<LaunchScenario[]> {
    return (await this.repo.scenarios(merchantId, l.internalId, n, null)).map((r) => toScenario(r, l.chosenScenarioId));
  }

  async chosen(merchantId: number, l: Launch): Promise<LaunchScenario | null> {
    if (l.chosenScenarioId === null) return null;
    const s = await this.repo.scenario(merchantId, l.chosenScenarioId);
    return s ? toScenario(s, l.chosenScenarioId) : null;
  }

  /** Per product forecasts of a scenario, with their points. */
  async forecasts(merchantId: number, s: LaunchScenario) {
    const points = await this.repo.points(merchantId, [s.internalId]);
    return s.products.map((p) => ({
      productId: p.productId, forecastId: points.find((x) => x.productId === p.productId)?.forecastId ?? 0, price: p.price,
      expectedUnits: p.expectedUnits, expectedRevenue: p.expectedRevenue, expectedMargin: p.expectedMargin, sellOutProbability: p.sellOutProbability,
      fallback: p.fallback, points: points.filter((x) => x.productId === p.productId).map((x) => ({ periodStart: new Date(x.periodStart), p10: x.p10, p50: x.p50, p90: x.p90, mean: x.mean })),
    }));
  }

  async forecast(merchantId: number, l: Launch) {
    const row = await this.repo.find(merchantId, l.internalId);
    const s = row ? await this.servingScenario(merchantId, row) : null;
    return s ? this.forecasts(merchantId, toScenario(s, l.chosenScenarioId)) : [];
  }

  async audience(merchantId: number, l: Launch, a: { first: number; after?: string }) {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.repo.audience(merchantId, l.internalId, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.rank], (r) => ({ customerId: r.customerId, probability: r.probability, segment: r.segment, rank: r.rank }));
  }

  async performance(merchantId: number, gid: string) {
    const l = await this.row(merchantId, gid);
    if (!l) return null;
    if (l.status !== 'LAUNCHED' && l.status !== 'REVIEWED') throw new BadInputError(`The launch is ${l.status}: performance is tracked from markLaunchLaunched on`, 'launchId');
    return this.performanceOf(merchantId, l);
  }

  private async performanceOf(merchantId: number, l: LaunchRow) {
    const scenario = await this.servingScenario(merchantId, l);
    const launchedAt = l.launchedAt ?? l.startDate;
    const clock = await merchantNow(this.db, merchantId);
    const points = scenario ? await this.repo.points(merchantId, [scenario.id]) : [];
    const sales = await this.repo.dailyUnits(merchantId, l.productIds, launchedAt, new Date(clock.getTime() + 1));
    const titles = new Map((await this.data.catalogueProducts(merchantId, l.productIds)).map((p) => [p.id, p.title]));
    const outcome = comparePerformance(launchedAt, clock, l.productIds, points, sales, titles);
    return { launchInternalId: l.id, scenario: scenario ? toScenario(scenario, l.chosenScenarioId) : null, launchedAt, ...outcome };
  }
}
