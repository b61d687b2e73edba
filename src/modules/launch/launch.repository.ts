// Launch rows, their scenarios, forecasts and audience — always within one merchant. A plan is
// written in ONE transaction (old scenarios, forecasts and audience replaced, the launch PLANNED), so
// a failed planning job leaves the previous state intact.
import type { Database } from '../../db/database';
import type { LaunchStatus, Prisma } from '../../db/generated/client';
import { NOT_CONFIRMED_SUSPICIOUS } from '../risk/risk-exclusion';
import type { LaunchConfig } from './launch-config';
import type { StoredRecommendation, StoredScenarioParams } from './launch-plan.types';

export interface LaunchRow {
  id: number; merchantId: number; name: string; status: LaunchStatus; startDate: Date; endDate: Date; config: Prisma.JsonValue;
  productIds: number[]; objective: string; chosenScenarioId: number | null; recommendation: Prisma.JsonValue;
  createdAt: Date; updatedAt: Date; plannedAt: Date | null; launchedAt: Date | null; reviewedAt: Date | null;
}

export interface ScenarioRow {
  id: number; launchId: number; params: StoredScenarioParams; expectedUnits: number; expectedRevenue: number; expectedMargin: number;
  sellOutProbability: number; rank: number; recommended: boolean;
}

export interface PointRow { forecastId: number; productId: number; scenarioId: number; periodStart: Date; p10: number; p50: number; p90: number; mean: number }

export interface PlanWrite {
  jobId: string;
  modelVersionId: number;
  recommendation: StoredRecommendation;
  scenarios: Array<{ params: StoredScenarioParams; expectedUnits: number; expectedRevenue: number; expectedMargin: number; sellOutProbability: number; rank: number; recommended: boolean;
    forecasts: Array<{ productId: number; points: Array<{ periodStart: Date; p10: number; p50: number; p90: number; mean: number }> }> }>;
  audience: Array<{ customerId: number; probability: number; segment: string; rank: number }>;
}

export class LaunchRepository {
  constructor(private readonly db: Database) {}

  create(merchantId: number, data: { name: string; startDate: Date; endDate: Date; objective: string; config: LaunchConfig }): Promise<LaunchRow> {
    return this.db.prisma.launch.create({
      data: { merchantId, name: data.name, startDate: data.startDate, endDate: data.endDate, objective: data.objective,
        config: data.config as unknown as Prisma.InputJsonValue, productIds: data.config.products.map((p) => p.productId) },
    });
  }

  find(merchantId: number, id: number): Promise<LaunchRow | null> {
    return this.db.prisma.launch.findFirst({ where: { id, merchantId } });
  }

  list(merchantId: number, status: LaunchStatus | undefined, take: number, beforeId: number | null): Promise<LaunchRow[]> {
    return this.db.prisma.launch.findMany({
      where: { merchantId, ...(status ? { status } : {}), ...(beforeId ? { id: { lt: beforeId } } : {}) }, orderBy: { id: 'desc' }, take,
    });
  }

  /**
   * Replaces the launch's settings. From PLANNED it returns to DRAFT and its plan is discarded in the
   * same transaction (the scenarios no longer match the settings). Only while `from` holds.
   */
  async update(merchantId: number, id: number, from: LaunchStatus[], data: { name: string; startDate: Date; endDate: Date; objective: string; config: LaunchConfig }): Promise<boolean> {
    const [, , updated] = await this.db.prisma.$transaction([
      this.db.prisma.launchScenario.deleteMany({ where: { merchantId, launchId: id, launch: { status: { in: from } } } }),
      this.db.prisma.launchAudience.deleteMany({ where: { merchantId, launchId: id, launch: { status: { in: from } } } }),
      this.db.prisma.launch.updateMany({
        where: { id, merchantId, status: { in: from } },
        data: { name: data.name, startDate: data.startDate, endDate: data.endDate, objective: data.objective, config: data.config as unknown as Prisma.InputJsonValue,
          productIds: data.config.products.map((p) => p.productId), status: 'DRAFT', recommendation: {}, chosenScenarioId: null, plannedAt: null },
      }),
    ]);
    return updated.count > 0;
  }

  /** A status change guarded by the current status; false when the launch was not in `from`. */
  async transition(merchantId: number, id: number, from: LaunchStatus[], data: Prisma.LaunchUpdateManyMutationInput): Promise<boolean> {
    const r = await this.db.prisma.launch.updateMany({ where: { id, merchantId, status: { in: from } }, data });
    return r.count > 0;
  }

  async setChosen(merchantId: number, id: number, scenarioId: number): Promise<boolean> {
    // The scenario must still be one of the launch's: a re-plan may have replaced it since it was read.
    const r = await this.db.prisma.launch.updateMany({ where: { id, merchantId, status: 'PLANNED', scenarios: { some: { id: scenarioId } } }, data: { chosenScenarioId: scenarioId } });
    return r.count > 0;
  }

  async deleteDraft(merchantId: number, id: number): Promise<boolean> {
    const r = await this.db.prisma.launch.deleteMany({ where: { id, merchantId, status: 'DRAFT' } });
    return r.count > 0;
  }

  /**
   * Marks the launch LAUNCHED and puts its products on sale in one statement: DRAFT products become
   * ACTIVE with this launch date, others keep a launch date they already have.
   */
  async markLaunched(merchantId: number, id: number, launchedAt: Date): Promise<boolean> {
    const [r] = await this.db.sql.query<{ launched: number }>(`
      WITH l AS (
        UPDATE "Launch" SET status = 'LAUNCHED', "launchedAt" = $3, "updatedAt" = now()
        WHERE id = $2 AND "merchantId" = $1 AND status = 'PLANNED' RETURNING "productIds"),
      p AS (
        UPDATE "Product" SET "launchedAt" = CASE WHEN status = 'DRAFT' OR "launchedAt" IS NULL THEN $3 ELSE "launchedAt" END,
          status = CASE WHEN status = 'DRAFT' THEN 'ACTIVE'::"ProductStatus" ELSE status END, "updatedAt" = now()
        WHERE "merchantId" = $1 AND id = ANY(ARRAY(SELECT unnest("productIds") FROM l)) RETURNING id)
      SELECT (SELECT count(*) FROM l)::int AS launched, (SELECT count(*) FROM p)::int AS products`, [merchantId, id, launchedAt.toISOString()]);
    return (r?.launched ?? 0) > 0;
  }

  scenario(merchantId: number, id: number) {
    return this.db.prisma.launchScenario.findFirst({ where: { id, merchantId } }) as Promise<ScenarioRow | null>;
  }

  scenarios(merchantId: number, launchId: number, take: number, afterRank: number | null): Promise<ScenarioRow[]> {
    return this.db.prisma.launchScenario.findMany({
      where: { merchantId, launchId, ...(afterRank !== null ? { rank: { gt: afterRank } } : {}) }, orderBy: { rank: 'asc' }, take,
    }) as unknown as Promise<ScenarioRow[]>;
  }

  async points(merchantId: number, scenarioIds: number[]): Promise<PointRow[]> {
    if (scenarioIds.length === 0) return [];
    return this.db.sql.query<PointRow>(`
      SELECT f.id AS "forecastId", f."productId", f."scenarioId", fp."periodStart", fp.p10, fp.p50, fp.p90, fp.mean
      FROM "Forecast" f JOIN "ForecastPoint" fp ON fp."forecastId" = f.id
      WHERE f."merchantId" = $1 AND f."scenarioId" = ANY($2::int[])
      ORDER BY f."scenarioId", f.id, fp."periodStart"`, [merchantId, scenarioIds]);
  }

  audience(merchantId: number, launchId: number, take: number, afterRank: number | null) {
    return this.db.prisma.launchAudience.findMany({
      where: { merchantId, launchId, ...(afterRank !== null ? { rank: { gt: afterRank } } : {}) }, orderBy: { rank: 'asc' }, take,
    });
  }

  /**
   * Writes a plan atomically, only onto the launch as the job read it: the launch row is updated
   * first, guarded by its status and `updatedAt`, and when that matches nothing (the launch was
   * updated, launched or deleted while the job ran) nothing is written and LaunchStateChanged is
   * thrown. Row ids are drawn from the sequences first.
   */
  async writePlan(merchantId: number, launchId: number, plan: PlanWrite, readAt: Date): Promise<void> {
    const forecasts = plan.scenarios.reduce((s, x) => s + x.forecasts.length, 0);
    const ids = async (table: string, n: number) => n === 0 ? [] : (await this.db.sql.query<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('"${table}"', 'id'))::int AS id FROM generate_series(1, $1::int)`, [n])).map((r) => r.id);
    const scenarioIds = await ids('LaunchScenario', plan.scenarios.length);
    const forecastIds = await ids('Forecast', forecasts);
    const scenarioRows: object[] = [];
    const forecastRows: object[] = [];
    const pointRows: object[] = [];
    let f = 0;
    plan.scenarios.forEach((s, i) => {
      scenarioRows.push({ id: scenarioIds[i], params: s.params, eu: s.expectedUnits, er: s.expectedRevenue, em: s.expectedMargin, so: s.sellOutProbability, rank: s.rank, rec: s.recommended });
      for (const fc of s.forecasts) {
        const fid = forecastIds[f++];
        forecastRows.push({ id: fid, pid: fc.productId, sid: scenarioIds[i] });
        for (const p of fc.points) pointRows.push({ fid, t: p.periodStart.toISOString(), p10: p.p10, p50: p.p50, p90: p.p90, mean: p.mean });
      }
    });
    const audienceRows = plan.audience.map((a) => ({ c: a.customerId, p: a.probability, s: a.segment, r: a.rank }));
    await this.db.prisma.$transaction(async (tx) => {
      const updated = await tx.$executeRawUnsafe(`
        UPDATE "Launch" SET status = 'PLANNED', recommendation = $3::jsonb, "plannedAt" = now(), "chosenScenarioId" = NULL, "updatedAt" = now()
        WHERE id = $2 AND "merchantId" = $1 AND status IN ('DRAFT', 'PLANNED') AND "updatedAt" = $4::timestamptz`,
      merchantId, launchId, JSON.stringify(plan.recommendation), readAt.toISOString());
      if (updated === 0) throw new LaunchStateChanged();
      await tx.$executeRawUnsafe(`DELETE FROM "LaunchScenario" WHERE "merchantId" = $1 AND "launchId" = $2`, merchantId, launchId);
      await tx.$executeRawUnsafe(`DELETE FROM "LaunchAudience" WHERE "merchantId" = $1 AND "launchId" = $2`, merchantId, launchId);
      await tx.$executeRawUnsafe(`
        INSERT INTO "LaunchScenario" (id, "merchantId", "launchId", "jobId", params, "expectedUnits", "expectedRevenue", "expectedMargin", "sellOutProbability", rank, recommended)
        SELECT x.id, $1, $2, $3, x.params, x.eu, x.er, x.em, x.so, x.rank, x.rec
        FROM jsonb_to_recordset($4::jsonb) AS x(id int, params jsonb, eu float8, er float8, em float8, so float8, rank int, rec boolean)`,
      merchantId, launchId, plan.jobId, JSON.stringify(scenarioRows));
      await tx.$executeRawUnsafe(`
        INSERT INTO "Forecast" (id, "merchantId", "productId", "scenarioId", "modelVersionId")
        SELECT x.id, $1, x.pid, x.sid, $2 FROM jsonb_to_recordset($3::jsonb) AS x(id int, pid int, sid int)`,
      merchantId, plan.modelVersionId, JSON.stringify(forecastRows));
      await tx.$executeRawUnsafe(`
        INSERT INTO "ForecastPoint" ("forecastId", "periodStart", p10, p50, p90, mean)
        SELECT x.fid, x.t, x.p10, x.p50, x.p90, x.mean FROM jsonb_to_recordset($1::jsonb) AS x(fid int, t timestamptz, p10 float8, p50 float8, p90 float8, mean float8)`,
      JSON.stringify(pointRows));
      await tx.$executeRawUnsafe(`
        INSERT INTO "LaunchAudience" ("merchantId", "launchId", "customerId", probability, segment, rank)
        SELECT $1, $2, x.c, x.p, x.s, x.r FROM jsonb_to_recordset($3::jsonb) AS x(c int, p float8, s text, r int)
        WHERE EXISTS (SELECT 1 FROM "Customer" c WHERE c.id = x.c AND c."merchantId" = $1)`,
      merchantId, launchId, JSON.stringify(audienceRows));
    });
  }

  async storeReview(merchantId: number, id: number, review: NonNullable<StoredRecommendation['review']>): Promise<boolean> {
    const rows = await this.db.sql.query(`
      UPDATE "Launch" SET status = 'REVIEWED', "reviewedAt" = now(), "updatedAt" = now(),
        recommendation = jsonb_set(recommendation, '{review}', $3::jsonb)
      WHERE id = $2 AND "merchantId" = $1 AND status = 'LAUNCHED' RETURNING id`, [merchantId, id, JSON.stringify(review)]);
    return rows.length > 0;
  }

  /** Units sold per product and day since `from` (cancellations and confirmed-suspicious orders excluded). */
  dailyUnits(merchantId: number, productIds: number[], from: Date, to: Date) {
    return this.db.sql.query<{ productId: number; t: Date; units: number }>(`
      SELECT ol."productId", o."orderedAt" AS t, SUM(ol.quantity)::float8 AS units
      FROM "OrderLine" ol JOIN "Order" o ON o.id = ol."orderId"
      WHERE ol."merchantId" = $1 AND ol."productId" = ANY($2::int[]) AND ol.quantity > 0 AND o.status <> 'CANCELLED'
        AND o."orderedAt" >= $3 AND o."orderedAt" < $4
        AND ${NOT_CONFIRMED_SUSPICIOUS}
      GROUP BY ol."productId", o."orderedAt"`, [merchantId, productIds, from.toISOString(), to.toISOString()]);
  }
}

/** The launch changed status while a job or mutation was working on it. */
export class LaunchStateChanged extends Error {
  constructor() { super('The launch changed while it was being planned'); }
}
