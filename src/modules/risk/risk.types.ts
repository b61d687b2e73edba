import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';
import { Customer, Order } from '../catalog/catalog.types';

@ObjectType({ description: 'A suspicious pattern in the merchant\'s orders, with its reason and evidence.' })
export class RiskFlag {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  @Field({ description: 'brushing_burst, quantity_outlier, order_cancel_cycle or shared_attribute.' }) kind!: string;
  @Field(() => Float, { description: 'Strength on a common 0.5–1 scale (0.5 = just at the rule\'s threshold).' }) score!: number;
  @Field({ description: 'OPEN, CONFIRMED (its orders are excluded from model training) or DISMISSED.' }) status!: string;
  @Field({ description: 'Why it was raised, in words.' }) reason!: string;
  @Field(() => GraphQLJSON, { description: 'The numbers behind it.' }) evidence!: unknown;
  orderIds!: number[];
  customerIds!: number[];
  @Field(() => [Order], { description: 'The orders involved (at most 50).' }) orders?: Order[];
  @Field(() => [Customer], { description: 'The customers involved (at most 50).' }) customers?: Customer[];
  @Field({ description: 'When it was raised.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the merchant confirmed or dismissed it.' }) resolvedAt!: Date | null;
}

export const RiskFlagConnection = ConnectionType('RiskFlag', RiskFlag, 'risk flag');

@ObjectType({ description: 'Outcome of a risk detection run.' })
export class RiskDetectionResult {
  @Field(() => Int, { description: 'Patterns found by the rules.' }) flags!: number;
  @Field(() => Int, { description: 'Of which new (not flagged before).' }) created!: number;
  @Field(() => GraphQLJSON, { description: 'Patterns found per rule.' }) byKind!: unknown;
}

@ObjectType({ description: 'Result of resolveRiskFlag.' })
export class RiskFlagPayload {
  @Field(() => RiskFlag, { nullable: true, description: 'The flag, when found.' }) riskFlag!: RiskFlag | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}
