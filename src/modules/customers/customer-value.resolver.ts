import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { PageArgs } from '../../graphql/relay';
import { Customer } from '../catalog/catalog.types';
import { ModelJobPayload } from '../conversion/conversion.types';
import { jobFromRow } from '../jobs/job.mapper';
import { CustomerValue, CustomerValueConnection, CustomerValueSummary } from './customer-value.types';

export enum CustomerValueSortKey { CLV = 'clv', CHURN_RISK = 'churnRisk', EXPECTED_PURCHASES = 'expectedPurchases' }
registerEnumType(CustomerValueSortKey, { name: 'CustomerValueSortKey', description: 'Orderings of customer values (highest first).' });

@InputType({ description: 'How to value customers.' })
class TrainCustomerValueInput {
  @Field(() => Int, { defaultValue: 365, description: 'Horizon of expected spend and CLV, in days.' }) @Min(7) @Max(3650) horizonDays: number = 365;
  @Field(() => Float, { defaultValue: 0.3, description: 'Share of revenue kept as profit, in (0, 1].' }) @Min(0.0001) @Max(1) margin: number = 0.3;
  @Field(() => Float, { defaultValue: 0.01, description: 'Monthly discount rate of future value.' }) @Min(0) @Max(0.49) monthlyDiscountRate: number = 0.01;
  @Field({ defaultValue: false, description: 'Promote even if its backtest does not beat the active version.' }) force: boolean = false;
}

@ArgsType()
class CustomerValuesArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this segment: prospect, new, active, high_value, at_risk, lapsed.' }) @IsOptional() segment?: string;
  @Field(() => CustomerValueSortKey, { defaultValue: CustomerValueSortKey.CLV }) sortBy: CustomerValueSortKey = CustomerValueSortKey.CLV;
}

@Resolver(() => CustomerValue)
export class CustomerValueResolver {
  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Fits BG/NBD + Gamma-Gamma and the calendar-aware TensorFlow.js model (two model versions, ModelVersion.model bgnbd | calendar), backtests both on up to three rolling windows ending at the data clock, values every customer under each, and promotes the winner.' })
  async trainCustomerValueModel(@Arg('input', () => TrainCustomerValueInput, { defaultValue: {} }) input: TrainCustomerValueInput, @Ctx() ctx: GraphQLContext) {
    const { job, userErrors } = await ctx.services.customerValues.startTraining(merchantOf(ctx), {
      horizonDays: input.horizonDays ?? 365, margin: input.margin ?? 0.3, monthlyDiscountRate: input.monthlyDiscountRate ?? 0.01, force: input.force ?? false,
    });
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @Authorized(ADMIN)
  @Query(() => CustomerValueConnection, { description: 'Customers by value, churn risk or expected purchases, optionally one segment.' })
  customerValues(@Args() a: CustomerValuesArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.customerValues.list(merchantOf(ctx), { first: a.first, after: a.after, segment: a.segment, sort: a.sortBy });
  }

  @Authorized(ADMIN)
  @Query(() => CustomerValueSummary, { description: 'Customers and expected value per segment.' })
  customerValueSummary(@Ctx() ctx: GraphQLContext) {
    return ctx.services.customerValues.summary(merchantOf(ctx));
  }

  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Erases a customer: personal rows and identifiers go, orders and events stay anonymous (or are deleted, a setting), later training excludes them, and stored models forget them.' })
  async eraseCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    const m = merchantOf(ctx);
    const { job, userErrors } = await ctx.services.customerValues.erase(m, id, (cid) => ctx.services.catalog.customersByIds(m, [cid]).then((x) => x.get(cid) ?? null));
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @FieldResolver(() => Float, { description: 'Expected purchases (distinct purchase days) over the next horizonDays.' })
  expectedPurchases(@Root() v: CustomerValue, @Arg('horizonDays', () => Int, { defaultValue: 90 }) horizonDays: number, @Ctx() ctx: GraphQLContext) {
    return ctx.services.customerValues.expectedPurchases(merchantOf(ctx), v, horizonDays);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer.' })
  customer(@Root() v: CustomerValue, @Ctx() ctx: GraphQLContext) { return ctx.loaders.customer.load(v.customerId); }
}

@Resolver(() => Customer)
export class CustomerValueFieldResolver {
  @FieldResolver(() => CustomerValue, { nullable: true, description: 'Expected purchases, spend, CLV and churn risk from the active customer-value model (null before one is trained).' })
  value(@Root() c: Customer, @Ctx() ctx: GraphQLContext) { return ctx.services.customerValues.forCustomer(merchantOf(ctx), c.internalId); }
}
