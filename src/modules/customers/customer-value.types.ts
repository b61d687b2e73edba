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
  /** Expected purchases over horizonDays as stored (the served model's forecast). */
  storedExpectedPurchases!: number;
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

@ObjectType({ description: 'One model\'s forecast of one backtest window against what happened.' })
export class BacktestScore {
  @Field(() => Float, { description: 'Sum of predicted purchases (distinct purchase days) over the customers known at the cutoff.' }) predicted!: number;
  @Field(() => Float, { nullable: true, description: 'predicted / actual (1 is perfect).' }) ratio!: number | null;
  @Field(() => Float, { nullable: true, description: 'Pearson correlation of predicted and actual purchases per customer (null when either is constant).' }) correlation!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean absolute error of purchases per customer.' }) mae!: number | null;
}

@ObjectType({ description: 'A rolling holdout window: both models fitted on the data before the cutoff, scored on the window after it.' })
export class BacktestWindow {
  @Field({ description: 'Last day of the data the models saw (ISO date).' }) cutoffDate!: string;
  @Field(() => Int, { description: 'Length of the window after the cutoff, in days.' }) horizonDays!: number;
  @Field(() => Int, { description: 'Customers with a purchase by the cutoff (the scored population).' }) customers!: number;
  @Field(() => Float, { description: 'Their actual purchases (distinct purchase days) in the window.' }) actual!: number;
  @Field(() => BacktestScore, { description: 'BG/NBD\'s forecast.' }) bgnbd!: BacktestScore;
  @Field(() => BacktestScore, { description: 'The calendar-aware model\'s forecast.' }) calendar!: BacktestScore;
}

@ObjectType({ description: 'One model\'s backtest over all windows.' })
export class BacktestModelSummary {
  @Field(() => Float, { nullable: true, description: 'Mean over windows of |predicted / actual − 1| (the selection metric; lower is better).' }) meanAbsAggregateError!: number | null;
  @Field(() => Float, { nullable: true, description: 'Sum predicted / sum actual over all windows.' }) pooledRatio!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean per-customer correlation over windows.' }) meanCorrelation!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean per-customer MAE over windows.' }) meanMae!: number | null;
}

@ObjectType({ description: 'Rolling backtest of BG/NBD against the calendar-aware model, run by the training job that produced the active version.' })
export class CustomerValueBacktest {
  @Field(() => Int, { description: 'Length of each window in days (the horizon, at most 90).' }) windowDays!: number;
  @Field(() => [BacktestWindow], { description: 'The windows, oldest first; they end at the data clock.' }) windows!: BacktestWindow[];
  @Field(() => BacktestModelSummary, { description: 'BG/NBD over all windows.' }) bgnbd!: BacktestModelSummary;
  @Field(() => BacktestModelSummary, { description: 'The calendar-aware model over all windows.' }) calendar!: BacktestModelSummary;
  @Field({ description: 'The winner: bgnbd or calendar.' }) winner!: string;
  @Field({ description: 'Why it won, in one sentence.' }) reason!: string;
}

@ObjectType({ description: 'The merchant\'s customer base by segment, from the active customer-value model.' })
export class CustomerValueSummary {
  @Field(() => ID, { description: 'The model version the values come from.' }) modelVersionId!: string;
  @Field({ description: 'The model that serves the values: bgnbd (BG/NBD + Gamma-Gamma) or calendar (calendar-aware TensorFlow.js count model). Training promotes the backtest winner when it beats the active version.' }) servedModel!: string;
  @Field(() => CustomerValueBacktest, { nullable: true, description: 'The rolling backtest of the job that trained the served version (null when the history was too short for one).' }) backtest!: CustomerValueBacktest | null;
  @Field(() => [SegmentSummary], { description: 'One entry per segment.' }) segments!: SegmentSummary[];
  @Field(() => Float, { description: 'Sum of all customers\' CLV.' }) totalExpectedValue!: number;
}

@ObjectType({ description: 'Outcome of a customer erasure.' })
export class ErasureResult {
  @Field({ description: 'True when the customer\'s rows were removed by this job (false when already gone).' }) removed!: boolean;
  @Field({ description: 'anonymize (orders and events kept without the customer) or delete.' }) mode!: string;
  @Field(() => Int, { description: 'Stored model versions rewritten to forget the customer.' }) modelVersionsScrubbed!: number;
}
