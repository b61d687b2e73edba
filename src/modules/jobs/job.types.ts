import { createUnionType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { JobState } from '../../db/generated/enums';
import { JOB_CATALOGUE, PUBLIC_JOB_NAMES } from '../../jobs/job-catalogue';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';
import { ImportResult } from '../imports/import-result.types';
import { ModelVersion } from '../models/model.types';
import { ConversionScoringResult } from '../conversion/conversion.types';
import { RiskDetectionResult } from '../risk/risk.types';
import { ErasureResult } from '../customers/customer-value.types';
import { RecommendationEvaluation } from '../evaluation/recommendation-evaluation.types';
import { ExposurePlan } from '../exposure/exposure.types';
import { LaunchPlanResult } from '../launch/launch.types';

registerEnumType(JobState, {
  name: 'JobState',
  description: 'Lifecycle of a job.',
  valuesConfig: {
    PENDING: { description: 'Queued, not started.' },
    RUNNING: { description: 'A worker is on it.' },
    COMPLETED: { description: 'Finished; `result` holds the outcome.' },
    FAILED: { description: 'Gave up; `error` says why.' },
    CANCELLED: { description: 'Stopped at the merchant\'s request.' },
    RETRYING: { description: 'An attempt failed; it will run again.' },
  },
});

/** Job kinds, one per entry of the job catalogue (`import` → IMPORT). */
export const JobKind = Object.fromEntries(PUBLIC_JOB_NAMES.map((n) => [n.toUpperCase().replace(/-/g, '_'), n])) as Record<string, string>;
registerEnumType(JobKind, {
  name: 'JobKind',
  description: 'What a job does.',
  valuesConfig: Object.fromEntries(PUBLIC_JOB_NAMES.map((n) => [n.toUpperCase().replace(/-/g, '_'), { description: JOB_CATALOGUE[n].description }])),
});

export const JobResult = createUnionType({
  name: 'JobResult',
  description: 'What a finished job produced. Each long task adds its result type here.',
  types: () => [ImportResult, ModelVersion, ConversionScoringResult, RiskDetectionResult, ErasureResult, RecommendationEvaluation, ExposurePlan, LaunchPlanResult] as const,
  resolveType: (v) => (v as unknown as { __typename?: string }).__typename,
});

@ObjectType({ description: 'A long task (import, training, scoring, planning) run by a worker. Follow it with `job(id)` or the `jobUpdated` subscription.' })
export class Job {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  @Field(() => JobKind, { description: 'What the job does.' }) kind!: string;
  @Field(() => JobState, { description: 'Where the job is in its lifecycle.' }) state!: JobState;
  @Field(() => Float, { description: 'Fraction done, 0–1.' }) progress!: number;
  @Field(() => String, { nullable: true, description: 'Human-readable status of the current step.' }) message!: string | null;
  @Field(() => Int, { description: 'Attempts started so far.' }) attempts!: number;
  @Field(() => Int, { description: 'Attempts allowed before the job fails.' }) maxAttempts!: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' }) error!: string | null;
  @Field(() => GraphQLJSON, { description: 'The parameters the job was started with.' }) input!: unknown;
  @Field(() => JobResult, { nullable: true, description: 'The outcome, once COMPLETED.' }) result!: unknown;
  @Field({ description: 'When the job was requested.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the current (or last) attempt started.' }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the job reached a final state.' }) finishedAt!: Date | null;
  @Field({ description: 'When the job last changed (state, progress or message).' }) updatedAt!: Date;
}

export const JobConnection = ConnectionType('Job', Job, 'job');

@ObjectType({ description: 'Result of a mutation that starts or changes a job.' })
export class JobPayload {
  @Field(() => Job, { nullable: true, description: 'The job, when the mutation succeeded.' }) job!: Job | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}
