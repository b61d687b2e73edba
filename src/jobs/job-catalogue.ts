// The typed job catalogue shared by the API and the workers: every job name is tied to its
// payload type and its queue. Payloads are JSON ids and flags, never rows, Dates or buffers.
// Each capability adds its jobs here and a handler in workers/handlers; the worker refuses to
// boot if a job has no handler.
import type { ImportKind } from '../modules/imports/import.types';
import type { PlanSettings } from '../modules/exposure/exposure-planner';

/** One BullMQ queue per workload, so a long training run never delays an import. */
export const QUEUE_NAMES = ['import', 'train', 'score', 'plan'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

interface BasePayload {
  /** Our Job row's id; also the BullMQ job id. */
  jobId: string;
  merchantId: number;
}

/** A shard of a flow: a child job working for its parent's Job row. */
export interface ShardPayload extends BasePayload { shard: number; shards: number }

export interface JobPayloads {
  import: BasePayload & { uploadId: string; kind: ImportKind };
  'train-conversion': BasePayload & { force: boolean; maxEpochs?: number; labelWindowDays: number; historyDays: number };
  'score-conversions': BasePayload & { modelVersionId: number; topK: number; shards: number };
  'score-conversions-shard': ShardPayload & { modelVersionId: number; topK: number };
  'retrain-conversion-tick': { merchantId: number };
  'detect-risk': BasePayload;
  'erase-customer': BasePayload & { customerId: number };
  'evaluate-recommendations': BasePayload & {
    testDays: number; ks: number[]; shares: number[]; maxCustomers: number; seed: number; maxEpochs?: number;
  };
  'train-customer-value': BasePayload & { horizonDays: number; margin: number; monthlyDiscountRate: number; holdoutDays: number; force: boolean };
  'plan-exposure': BasePayload & { settings: PlanSettings; parentPlanId: number | null };
  'train-demand': BasePayload & { weeks: number; epochs?: number; force: boolean };
  'plan-launch': BasePayload & { launchId: number; modelVersionId: number };
}

export type JobName = keyof JobPayloads;
export type JobPayload<K extends JobName> = JobPayloads[K];

export interface JobDefinition {
  queue: QueueName;
  /** Attempts before the job is FAILED (BullMQ retries with exponential backoff between). */
  attempts: number;
  description: string;
  /**
   * Jobs without a Job row of their own: `shard` — a shard of a flow, reporting into its parent's
   * Job row (progress advances by 1/shards as each finishes); `scheduled` — fired by a BullMQ job
   * scheduler, it starts the real (tracked) job.
   */
  internal?: 'shard' | 'scheduled';
}

export const JOB_CATALOGUE: { [K in JobName]: JobDefinition } = {
  import: { queue: 'import', attempts: 3, description: 'Bulk import of products, customers, orders or events' },
  'train-conversion': { queue: 'train', attempts: 2, description: 'Train, evaluate and (if better) promote a conversion model' },
  'score-conversions': { queue: 'score', attempts: 2, description: 'Score every customer\'s top products with the active conversion model' },
  'score-conversions-shard': { queue: 'score', attempts: 3, description: 'One shard of customers of a conversion scoring run', internal: 'shard' },
  'evaluate-recommendations': { queue: 'train', attempts: 2, description: 'Evaluate recommendations offline on a temporal split: the model at several long-tail shares beside a popularity baseline' },
  'train-customer-value': { queue: 'train', attempts: 2, description: 'Fit the customer-value models (BG/NBD + Gamma-Gamma, calendar-aware tfjs), backtest both on rolling windows, value every customer and promote the winner' },
  'erase-customer': { queue: 'import', attempts: 3, description: 'Erase a customer: personal rows, links, training data and stored models' },
  'detect-risk': { queue: 'score', attempts: 2, description: 'Run the risk rules over the merchant\'s orders and raise flags' },
  'train-demand': { queue: 'train', attempts: 2, description: 'Train a launch demand model on past launches, backtest it against baselines and (if better) promote it' },
  'plan-launch': { queue: 'plan', attempts: 2, description: 'Evaluate a launch\'s scenario grid, store the ranked scenarios with forecasts and the audience' },
  'retrain-conversion-tick': { queue: 'train', attempts: 1, description: 'Scheduled retraining of a merchant\'s conversion model', internal: 'scheduled' },
  'plan-exposure': { queue: 'plan', attempts: 2, description: 'Plan a placement\'s impressions (or re-plan an active plan) and store the plan as a new DRAFT version' },
};

export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];
/** The jobs a client can see and start (shards are internal). */
export const PUBLIC_JOB_NAMES = JOB_NAMES.filter((n) => !JOB_CATALOGUE[n].internal);
