import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../graphql/user-error';
import { Job } from '../jobs/job.types';
import { Product } from '../catalog/catalog.types';

export enum RecommendationMode { DISCOVERY = 'DISCOVERY', REPURCHASE = 'REPURCHASE', MIXED = 'MIXED' }
registerEnumType(RecommendationMode, {
  name: 'RecommendationMode',
  description: 'What a recommendation list optimises: repurchase is a large share of real buying.',
  valuesConfig: {
    DISCOVERY: { description: 'Only products the customer has not bought.' },
    REPURCHASE: { description: 'Only products the customer bought before.' },
    MIXED: { description: 'Both, ranked together (default).' },
  },
});

@ObjectType({ description: 'Calibrated probability that the customer buys the product if shown it.' })
export class ConversionPrediction {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Float, { description: 'P(purchase within the label window | shown), calibrated on held-out data.' }) probability!: number;
  @Field({ description: 'True when the product was created after the model was trained: scored from its content alone.' }) fromContentOnly!: boolean;
}

@ObjectType({ description: 'Predictions for one customer from the active conversion model.' })
export class ConversionPredictionList {
  @Field(() => [ConversionPrediction], { description: 'One per requested product, in the order asked.' }) predictions!: ConversionPrediction[];
  @Field(() => ID, { description: 'The model version that scored them.' }) modelVersionId!: string;
  @Field({ description: 'True when the customer was unknown to the model (a cold-start vector was used).' }) coldStartCustomer!: boolean;
}

@ObjectType({ description: 'A recommended product.' })
export class RecommendedProduct {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Float, { description: 'Calibrated P(purchase | shown).' }) probability!: number;
  @Field({ description: 'True when the product is in the long tail.' }) isLongTail!: boolean;
  @Field({ description: 'True when the customer bought it before (a repurchase suggestion).' }) purchasedBefore!: boolean;
}

@ObjectType({ description: 'A ranked list with what its long-tail share cost.' })
export class RecommendationList {
  @Field(() => [RecommendedProduct], { description: 'Best first.' }) items!: RecommendedProduct[];
  @Field(() => RecommendationMode, { description: 'What the list optimises.' }) mode!: RecommendationMode;
  @Field(() => Float, { description: 'Long-tail share asked for.' }) requestedLongTailShare!: number;
  @Field(() => Float, { description: 'Long-tail share reached (lower when too few long-tail candidates exist).' }) longTailShare!: number;
  @Field(() => Float, { description: 'Expected conversions of the list if all items are shown (sum of probabilities).' }) expectedConversions!: number;
  @Field(() => Float, { description: 'Expected conversions of the best list without the long-tail requirement.' }) greedyExpectedConversions!: number;
  @Field(() => Float, { description: 'What the long-tail share cost: greedy minus this list, in expected conversions.' }) conversionCost!: number;
  @Field(() => ID, { description: 'The model version used.' }) modelVersionId!: string;
}

@ObjectType({ description: 'Outcome of a batch scoring run.' })
export class ConversionScoringResult {
  @Field(() => ID, { description: 'The model version that scored.' }) modelVersionId!: string;
  @Field(() => Int, { description: 'Customers scored.' }) customers!: number;
  @Field(() => Int, { description: 'Predictions stored (top K per customer).' }) predictions!: number;
  @Field(() => Int, { description: 'Shards the run was split into.' }) shards!: number;
}

@ObjectType({ description: 'The conversion model\'s retraining schedule.' })
export class RetrainingSchedulePayload {
  @Field(() => Int, { description: 'Days between retrainings; 0 = not scheduled.' }) everyDays!: number;
  @Field(() => Date, { nullable: true, description: 'When the next retraining starts.' }) nextRunAt!: Date | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a mutation that starts a model job.' })
export class ModelJobPayload {
  @Field(() => Job, { nullable: true, description: 'The job, when it was started.' }) job!: Job | null;
  @Field(() => [UserError], { description: 'Why it was not started, if so.' }) userErrors!: UserError[];
}
