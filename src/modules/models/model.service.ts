// Model versions are immutable; one version per kind is ACTIVE. A new version becomes active only
// when it beats the active one on the same held-out split (the training job scores the champion
// on the challenger's split and stores it as metrics.champion), or when forced; the previous
// version stays restorable with rollback.
import type { ModelKind } from '../../db/generated/enums';
import { UserError, userError } from '../../graphql/user-error';
import { ModelVersionRepository, ModelVersionSummary } from './model-version.repository';

/** The metric a kind is judged by, as stored in `metrics.primary` by its training job. */
export interface PrimaryMetric { name: string; value: number; higherIsBetter: boolean }

export interface VersionMetrics {
  primary?: PrimaryMetric;
  /** The active model at training time, scored on this version's held-out split. */
  champion?: { versionId: number; primary: PrimaryMetric };
  [k: string]: unknown;
}

export type PromotionOutcome = { promoted: true; version: ModelVersionSummary; reason: string } | { promoted: false; reason: string };

export class ModelService {
  constructor(private readonly repo: ModelVersionRepository) {}

  get(merchantId: number, id: number) { return this.repo.find(merchantId, id); }
  active(merchantId: number, kind: ModelKind) { return this.repo.active(merchantId, kind); }
  list(merchantId: number, kind: ModelKind | undefined, take: number, beforeId: number | null) { return this.repo.list(merchantId, kind, take, beforeId); }
  artifact(merchantId: number, id: number) { return this.repo.artifact(merchantId, id); }
  createTraining(merchantId: number, kind: ModelKind, data: { jobId: string; params: object; dataFrom?: Date; dataTo?: Date }) {
    return this.repo.createNext(merchantId, kind, { status: 'TRAINING', jobId: data.jobId, params: data.params, dataFrom: data.dataFrom, dataTo: data.dataTo });
  }
  findByJob(merchantId: number, jobId: string) { return this.repo.findByJob(merchantId, jobId); }
  findAllByJob(merchantId: number, jobId: string) { return this.repo.findAllByJob(merchantId, jobId); }
  finish(id: number, data: Parameters<ModelVersionRepository['finish']>[1]) { return this.repo.finish(id, data); }
  markFailed(id: number, error: string) { return this.repo.markFailed(id, error); }

  /** Whether `candidate` beats the active version; compares on the same split when it can. */
  judge(candidate: ModelVersionSummary, active: ModelVersionSummary | null): { better: boolean; reason: string } {
    const m = candidate.metrics as VersionMetrics;
    // A metric stored as JSON null (NaN or ±Infinity when computed, e.g. a backtest whose held-out
    // launches sold nothing) is no metric at all.
    const scored = (p: PrimaryMetric | undefined): p is PrimaryMetric =>
      !!p && typeof p.value === 'number' && Number.isFinite(p.value);
    if (!scored(m.primary)) {
      const name = (m.primary as PrimaryMetric | undefined)?.name ?? 'primary metric';
      return { better: !active, reason: `Version ${candidate.version} has no usable ${name}${active ? '' : '; promoted as the first version'}` };
    }
    if (!active) return { better: true, reason: 'No active version' };
    const sameSplit = m.champion && m.champion.versionId === active.id ? m.champion.primary : undefined;
    const theirs = scored(sameSplit) ? sameSplit : (active.metrics as VersionMetrics).primary;
    if (!scored(theirs)) return { better: true, reason: `Active version ${active.version} has no usable primary metric` };
    const { name, value, higherIsBetter } = m.primary;
    const better = higherIsBetter ? value > theirs.value : value < theirs.value;
    const where = sameSplit ? 'on the same held-out split' : 'on their own held-out splits';
    return {
      better,
      reason: `${name} ${value.toFixed(4)} vs active version ${active.version}'s ${theirs.value.toFixed(4)} ${where}` +
        (better ? '' : ` (${higherIsBetter ? 'higher' : 'lower'} is better)`),
    };
  }

  /** Promotes a finished version. Without `force`, only if it beats the active one. */
  async promote(merchantId: number, id: number, force: boolean): Promise<{ version: ModelVersionSummary | null; userErrors: UserError[] }> {
    const v = await this.repo.find(merchantId, id);
    if (!v) return { version: null, userErrors: [userError('No model version with this id', 'NOT_FOUND', ['id'])] };
    if (v.status === 'ACTIVE') return { version: v, userErrors: [] };
    if (v.status === 'TRAINING' || v.status === 'FAILED') {
      return { version: v, userErrors: [userError(`Version ${v.version} is ${v.status.toLowerCase()}: only finished versions can be promoted`, 'NOT_PROMOTABLE', ['id'])] };
    }
    const active = await this.repo.active(merchantId, v.kind);
    const verdict = this.judge(v, active);
    if (!verdict.better && !force) {
      return { version: v, userErrors: [userError(`Not promoted: ${verdict.reason}. Pass force: true to promote it anyway.`, 'NOT_BETTER', ['id'])] };
    }
    await this.repo.activate(merchantId, v.kind, v.id);
    return { version: await this.repo.find(merchantId, id), userErrors: [] };
  }

  /** Called by training jobs: promote when better (or forced), else leave as CANDIDATE. */
  async promoteIfBetter(merchantId: number, id: number, force = false): Promise<PromotionOutcome> {
    const v = await this.repo.find(merchantId, id);
    if (!v) return { promoted: false, reason: 'missing' };
    const verdict = this.judge(v, await this.repo.active(merchantId, v.kind));
    if (!verdict.better && !force) return { promoted: false, reason: verdict.reason };
    await this.repo.activate(merchantId, v.kind, v.id);
    return { promoted: true, version: (await this.repo.find(merchantId, id))!, reason: force && !verdict.better ? `forced; ${verdict.reason}` : verdict.reason };
  }

  /** Restores the previously active version of a kind. */
  async rollback(merchantId: number, kind: ModelKind): Promise<{ version: ModelVersionSummary | null; userErrors: UserError[] }> {
    const active = await this.repo.active(merchantId, kind);
    if (!active) return { version: null, userErrors: [userError(`No active ${kind.toLowerCase()} model to roll back`, 'NOT_FOUND', ['kind'])] };
    const previous = await this.repo.previousActive(merchantId, kind, active.id);
    if (!previous) return { version: null, userErrors: [userError(`No earlier ${kind.toLowerCase()} version was ever active`, 'NOTHING_TO_RESTORE', ['kind'])] };
    await this.repo.activate(merchantId, kind, previous.id);
    return { version: await this.repo.find(merchantId, previous.id), userErrors: [] };
  }
}
