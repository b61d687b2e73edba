import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/relay';
import { Customer } from '../catalog/catalog.types';

@ObjectType({ description: 'What a customer is expected to do, from the active customer-value model.' })
export class CustomerValue {
  customerId!: number;
  /** Inputs for horizon-specific forecasts. */
  frequency!: number;
  recency!: number;
  age!: number;
  modelVersionId!: number;
  @Field(() => Customer, { nullable: true, description: 'The customer.' }) customer?: Customer | null;
  @Field(() => Int, { description: 'Horizon of expectedSpend and clv, in days.' }) horizonDays!: number;
  @Field(() => Float, { description: 'Expected spend over the horizon (expected purchases × expected spend per purchase).' }) expectedSpend!: number;
  @Field(() => Float, { description: 'Customer lifetime value over the horizon: expected spend × margin, discounted monthly.' }) clv!: number;
  @Field(() => Float, { description: 'Probability the customer is still active (BG/NBD).' }) pAlive!: number;
  @Field(() => Float, { description: 'Probability of no purchase in the next 90 days.' }) churnRisk!: number;
  @Field(() => Float, { description: 'Probability of at least one purchase in the next 7 days.' }) purchaseProbability7d!: number;
  @Field({ description: 'prospect (never bought), new (first purchase within 30 days), active, high_value (top 10% CLV), at_risk, lapsed.' }) segment!: string;
  @Field(() => Float, { description: 'Mean spend of the customer\'s repeat purchases so far.' }) meanSpend!: number;
}

export const CustomerValueConnection = ConnectionType('CustomerValue', CustomerValue, 'customer value');

@ObjectType({ description: 'Customers and expected value of one segment.' })
export class SegmentSummary {
  @Field({ description: 'Segment name.' }) segment!: string;
  @Field(() => Int, { description: 'Customers in it.' }) customers!: number;
  @Field(() => Float, { description: 'Sum of their CLV over the model\'s horizon.' }) expectedValue!: number;
  @Field(() => Float, { description: 'Sum of their expected purchases over the horizon.' }) expectedPurchases!: number;
  @Field(() => Float, { description: 'Mean probability of no purchase in the next 90 days.' }) meanChurnRisk!: number;
}

@ObjectType({ description: 'The merchant\'s customer base by segment, from the active customer-value model.' })
export class CustomerValueSummary {
  @Field(() => ID, { description: 'The model version the values come from.' }) modelVersionId!: string;
  @Field(() => [SegmentSummary], { description: 'One entry per segment.' }) segments!: SegmentSummary[];
  @Field(() => Float, { description: 'Sum of all customers\' CLV.' }) totalExpectedValue!: number;
}

@ObjectType({ description: 'Outcome of a customer erasure.' })
export class ErasureResult {
  @Field({ description: 'True when the customer\'s rows were removed by this job (false when already gone).' }) removed!: boolean;
  @Field({ description: 'anonymize (orders and events kept without the customer) or delete.' }) mode!: string;
  @Field(() => Int, { description: 'Stored model versions rewritten to forget the customer.' }) modelVersionsScrubbed!: number;
}
