// Offline evaluation of `recommendations`: starts the evaluation job (input checked here, problems
// returned as userErrors) and reads the stored evaluations of the merchant.
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { decodeCursor, toConnection } from '../../graphql/relay';
import { userError, type UserError } from '../../graphql/user-error';
import type { JobRow } from '../jobs/job.repository';
import type { JobService } from '../jobs/job.service';
import { BadInputError } from '../shared/errors';
import type { RecommendationEvaluationRecord, RecommendationEvaluationRepository } from './recommendation-evaluation.repository';
import type { RecommendationEvaluation, RecommendationEvaluationRow } from './recommendation-evaluation.types';

export interface EvaluationRequest { testDays: number; ks: number[]; shares: number[]; maxCustomers: number; seed: number; maxEpochs?: number | null }

const MAX_KS = 5;
const MAX_SHARES = 11;

/** Problems with an evaluation request, each naming its input field. */
export function evaluationInputErrors(input: EvaluationRequest): UserError[] {
  const errors: UserError[] = [];
  const at = (f: string) => ['input', f];
  if (!Number.isInteger(input.testDays) || input.testDays < 7 || input.testDays > 180) errors.push(userError('testDays must be a whole number of days, 7–180', 'INVALID', at('testDays')));
  if (input.ks.length === 0 || input.ks.length > MAX_KS) errors.push(userError(`ks must list 1–${MAX_KS} list lengths`, 'INVALID', at('ks')));
  else if (input.ks.some((k) => !Number.isInteger(k) || k < 1 || k > 100)) errors.push(userError('each K must be a whole number, 1–100', 'INVALID', at('ks')));
  else if (new Set(input.ks).size !== input.ks.length) errors.push(userError('ks must not repeat a K', 'INVALID', at('ks')));
  if (input.shares.length === 0 || input.shares.length > MAX_SHARES) errors.push(userError(`shares must list 1–${MAX_SHARES} long-tail shares`, 'INVALID', at('shares')));
  else if (input.shares.some((s) => !(s >= 0 && s <= 1))) errors.push(userError('each long-tail share must be between 0 and 1', 'INVALID', at('shares')));
  else if (new Set(input.shares).size !== input.shares.length) errors.push(userError('shares must not repeat a share', 'INVALID', at('shares')));
  if (!Number.isInteger(input.maxCustomers) || input.maxCustomers < 10 || input.maxCustomers > 20_000) errors.push(userError('maxCustomers must be 10–20000', 'INVALID', at('maxCustomers')));
  if (!Number.isInteger(input.seed) || input.seed < 0) errors.push(userError('seed must be a whole number ≥ 0', 'INVALID', at('seed')));
  if (input.maxEpochs != null && (!Number.isInteger(input.maxEpochs) || input.maxEpochs < 1 || input.maxEpochs > 50)) errors.push(userError('maxEpochs must be 1–50', 'INVALID', at('maxEpochs')));
  return errors;
}

export class RecommendationEvaluationService {
  constructor(private readonly repo: RecommendationEvaluationRepository, private readonly jobs: JobService) {}

  async start(merchantId: number, input: EvaluationRequest): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    const userErrors = evaluationInputErrors(input);
    if (userErrors.length) return { job: null, userErrors };
    const ks = [...input.ks].sort((a, b) => a - b);
    const shares = [...input.shares].sort((a, b) => a - b);
    const job = await this.jobs.start(merchantId, 'evaluate-recommendations', {
      testDays: input.testDays, ks, shares, maxCustomers: input.maxCustomers, seed: input.seed,
      ...(input.maxEpochs != null ? { maxEpochs: input.maxEpochs } : {}),
    });
    return { job, userErrors: [] };
  }

  async get(merchantId: number, gid: string): Promise<RecommendationEvaluation | null> {
    const id = intFromGlobalId(gid, 'RecommendationEvaluation');
    const row = id === null ? null : await this.repo.get(merchantId, id);
    return row ? toEvaluation(row) : null;
  }

  /** By internal id (job results reference their evaluation), within the merchant. */
  async byId(merchantId: number, id: number): Promise<RecommendationEvaluation | null> {
    const row = await this.repo.get(merchantId, id);
    return row ? toEvaluation(row) : null;
  }

  async list(merchantId: number, a: { first: number; after?: string }) {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.repo.list(merchantId, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], toEvaluation);
  }
}

function toEvaluation(r: RecommendationEvaluationRecord): RecommendationEvaluation {
  const params = (r.params ?? {}) as { testDays?: number; ks?: number[]; customersEvaluated?: number };
  return {
    id: toGlobalId('RecommendationEvaluation', r.id), createdAt: r.createdAt, splitAt: r.splitAt,
    testDays: params.testDays ?? 0, ks: params.ks ?? [], customersEvaluated: params.customersEvaluated ?? 0,
    rows: (r.results ?? []) as RecommendationEvaluationRow[], params: r.params,
    jobId: r.jobId ? toGlobalId('Job', r.jobId) : null,
  };
}
