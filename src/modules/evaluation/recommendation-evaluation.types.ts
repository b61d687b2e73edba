import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';
import { Job } from '../jobs/job.types';
import { RecommendationMode } from '../conversion/conversion.types';

export enum RecommendationPolicy { MODEL = 'MODEL', POPULARITY = 'POPULARITY' }
registerEnumType(RecommendationPolicy, {
  name: 'RecommendationPolicy',
  description: 'Who ranked an evaluated list.',
  valuesConfig: {
    MODEL: { description: '`recommendations`: the conversion model\'s ranking with the long-tail knob, as served.' },
    POPULARITY: { description: 'Baseline: the products bought most before the split, with the same long-tail re-ranking.' },
  },
});

export const DEFAULT_KS = [10, 20];
// Beyond 0.5: on the generator's shops the model's lists are already half long tail or more unasked,
// so the knob only binds at higher shares — the merchant should see where it starts to cost.
export const DEFAULT_SHARES = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

@InputType({ description: 'How to evaluate recommendations offline. Validation problems come back as userErrors.' })
export class EvaluateRecommendationsInput {
  @Field(() => Int, { defaultValue: 28, description: 'Days before the data clock held out as the test window, 7–180. The model is trained on data before them only.' })
  testDays: number = 28;
  @Field(() => [Int], { defaultValue: DEFAULT_KS, description: 'List lengths K to measure at, each 1–100 (at most 5).' })
  ks: number[] = DEFAULT_KS;
  @Field(() => [Float], { defaultValue: DEFAULT_SHARES, description: 'Long-tail shares to evaluate, each 0–1 (at most 11).' })
  shares: number[] = DEFAULT_SHARES;
  @Field(() => Int, { defaultValue: 2000, description: 'At most this many customers who bought in the test window are evaluated (a seeded sample), 10–20000.' })
  maxCustomers: number = 2000;
  @Field(() => Int, { defaultValue: 1, description: 'Seed of the customer sample and of training.' })
  seed: number = 1;
  @Field(() => Int, { nullable: true, description: 'Upper bound on training epochs of the evaluation model, 1–50 (early stopping usually ends sooner).' })
  maxEpochs?: number;
}

@ObjectType({ description: 'Offline metrics of one policy\'s lists at one list length K.' })
export class RankingMetrics {
  @Field(() => Int, { description: 'List length.' }) k!: number;
  @Field(() => Float, { description: 'Recall@K: share of each customer\'s test-window purchases found in the top K, averaged over customers.' }) recall!: number;
  @Field(() => Float, { description: 'NDCG@K with binary relevance (ideal DCG over min(K, purchases) hits), averaged over customers.' }) ndcg!: number;
  @Field(() => Float, { description: 'Share of customers with at least one test-window purchase in the top K.' }) hitRate!: number;
  @Field(() => Float, { description: 'Share of the candidate catalogue recommended to at least one customer.' }) coverage!: number;
  @Field(() => Float, { description: 'Share of recommended slots holding long-tail products (flags as of the split).' }) longTailShare!: number;
  @Field(() => Float, { description: 'Mean −log2 of the recommended products\' share of purchases before the split (add-one smoothed): higher = less obvious.' }) novelty!: number;
  @Field(() => Float, { nullable: true, description: 'Model only: mean expected conversions per list (sum of calibrated probabilities).' }) expectedConversions!: number | null;
  @Field(() => Float, { nullable: true, description: 'Model only: mean expected conversions per list given up for the long-tail share.' }) conversionCost!: number | null;
}

@ObjectType({ description: 'One evaluated configuration: a policy, a list mode and a long-tail share.' })
export class RecommendationEvaluationRow {
  @Field(() => RecommendationPolicy, { description: 'Who ranked the lists.' }) policy!: RecommendationPolicy;
  @Field(() => RecommendationMode, { description: 'The list mode: MIXED is what `recommendations` serves by default; DISCOVERY lists and counts only products new to the customer, REPURCHASE only products they bought before the split.' })
  mode!: RecommendationMode;
  @Field(() => Float, { description: 'The long-tail share asked for (`recommendations(longTailShare)`).' }) longTailShare!: number;
  @Field(() => Int, { description: 'Customers with relevant test-window purchases in this mode (accuracy is averaged over them).' }) customers!: number;
  @Field(() => [RankingMetrics], { description: 'Metrics at each K.' }) metrics!: RankingMetrics[];
}

@ObjectType({ description: 'A stored offline evaluation of `recommendations` on a temporal split: the model at several long-tail shares beside a popularity baseline, so the share can be chosen with evidence.' })
export class RecommendationEvaluation {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  @Field({ description: 'When the evaluation was stored.' }) createdAt!: Date;
  @Field({ description: 'The split: the model learned from data before it; purchases from it to the data clock are the test window.' }) splitAt!: Date;
  @Field(() => Int, { description: 'Days in the test window.' }) testDays!: number;
  @Field(() => Int, { description: 'Customers evaluated (a seeded sample of those who bought in the test window).' }) customersEvaluated!: number;
  @Field(() => [Int], { description: 'List lengths measured.' }) ks!: number[];
  @Field(() => [RecommendationEvaluationRow], { description: 'One row per mode × policy × long-tail share.' }) rows!: RecommendationEvaluationRow[];
  @Field(() => GraphQLJSON, { description: 'Parameters, sample and candidate counts, and the evaluation model\'s training summary (held-out AUC, epochs).' }) params!: unknown;
  @Field(() => ID, { nullable: true, description: 'The job that produced it.' }) jobId!: string | null;
}

export const RecommendationEvaluationConnection = ConnectionType('RecommendationEvaluation', RecommendationEvaluation, 'recommendation evaluation');

@ObjectType({ description: 'Result of evaluateRecommendations.' })
export class EvaluateRecommendationsPayload {
  @Field(() => Job, { nullable: true, description: 'The evaluation job, when it was started; its result is the RecommendationEvaluation.' }) job!: Job | null;
  @Field(() => [UserError], { description: 'Why it was not started, if so.' }) userErrors!: UserError[];
}
