import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { IsOptional, Length, Max, Min } from 'class-validator';
import { EventType } from '../../db/generated/enums';
import { ADMIN, STOREFRONT } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { UserError, userError } from '../../graphql/user-error';
import { MAX_EVENTS_PER_CALL } from './event.service';

registerEnumType(EventType, {
  name: 'EventType',
  description: 'What the shopper did with a product.',
  valuesConfig: {
    IMPRESSION: { description: 'Shown in a list at a placement and position.' },
    VIEW: { description: 'Opened the product page.' },
    CLICK: { description: 'Clicked the product in a list.' },
    ADD_TO_CART: { description: 'Put it in the cart.' },
    PURCHASE: { description: 'Bought it.' },
  },
});

@InputType({ description: 'One shopper event. Give customerId for a known shopper or sessionId for an anonymous one.' })
export class EventInput {
  @Field(() => String, { nullable: true, description: 'Your id of the event; re-sending the same id is ignored. Default: a hash of the fields.' })
  @IsOptional() @Length(1, 255) eventId?: string;
  @Field(() => String, { nullable: true, description: 'External id of a known customer.' }) @IsOptional() @Length(1, 255) customerId?: string;
  @Field(() => String, { nullable: true, description: 'Anonymous session id.' }) @IsOptional() @Length(1, 255) sessionId?: string;
  @Field({ description: 'External id of the product.' }) @Length(1, 255) productId!: string;
  @Field(() => EventType, { description: 'What happened.' }) type!: EventType;
  @Field(() => String, { nullable: true, description: 'Placement handle, e.g. home; unknown handles create the placement.' }) @IsOptional() @Length(1, 100) placement?: string;
  @Field(() => Int, { nullable: true, description: '0-based slot within the placement.' }) @IsOptional() @Min(0) @Max(10_000) position?: number;
  @Field(() => Date, { nullable: true, description: 'When it happened; default now.' }) @IsOptional() occurredAt?: Date;
}

@ObjectType({ description: 'Result of trackEvents.' })
class TrackEventsPayload {
  @Field(() => Int, { description: 'Events stored (a re-sent event counts once).' }) accepted!: number;
  @Field(() => [UserError], { description: 'One entry per rejected event; `field` starts with its index in the list.' }) userErrors!: UserError[];
}

@Resolver()
export class EventResolver {
  @Authorized(ADMIN, STOREFRONT)
  @Mutation(() => TrackEventsPayload, { description: `Records shopper events (at most ${MAX_EVENTS_PER_CALL} per call). Safe for storefront keys.` })
  async trackEvents(@Arg('events', () => [EventInput]) events: EventInput[], @Ctx() ctx: GraphQLContext) {
    const { accepted, errors } = await ctx.services.events.track(merchantOf(ctx), events);
    return {
      accepted,
      userErrors: errors.map((e) => userError(e.message, 'INVALID', ['events', String(e.line), ...(e.field ? [e.field] : [])])),
    };
  }
}

