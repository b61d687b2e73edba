import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';

@ObjectType({ description: 'A surface of the shop where products are shown in slots (home page, category page, recommendation slot). Events name it by handle.' })
export class Placement {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  @Field({ description: 'Handle events use to name the placement, e.g. home.' }) handle!: string;
  @Field(() => String, { nullable: true, description: 'Name shown to the merchant.' }) name!: string | null;
  @Field(() => Int, { description: 'Products shown per view.' }) slots!: number;
  @Field(() => Int, { description: 'Views expected per day; slots × this × horizon is the default impression budget of a plan.' }) expectedDailyImpressions!: number;
  @Field(() => Int, { description: 'Impressions logged at this placement in the 30 days up to the data clock.' }) observedImpressions30d!: number;
  @Field({ description: 'When the placement was created (by hand or by the first event naming it).' }) createdAt!: Date;
}

export const PlacementConnection = ConnectionType('Placement', Placement, 'placement');

@InputType({ description: 'A new placement.' })
export class CreatePlacementInput {
  @Field({ description: 'Handle events use, 1–100 characters of letters, digits, - and _.' }) handle!: string;
  @Field(() => String, { nullable: true, description: 'Name shown to the merchant.' }) name?: string | null;
  @Field(() => Int, { defaultValue: 10, description: 'Products shown per view, 1–1000.' }) slots: number = 10;
  @Field(() => Int, { defaultValue: 0, description: 'Views expected per day, ≥ 0.' }) expectedDailyImpressions: number = 0;
}

@InputType({ description: 'Changes to a placement; omitted fields stay as they are.' })
export class UpdatePlacementInput {
  @Field(() => String, { nullable: true, description: 'New handle (events already logged keep pointing at this placement).' }) handle?: string | null;
  @Field(() => String, { nullable: true, description: 'Name shown to the merchant.' }) name?: string | null;
  @Field(() => Int, { nullable: true, description: 'Products shown per view, 1–1000.' }) slots?: number | null;
  @Field(() => Int, { nullable: true, description: 'Views expected per day, ≥ 0.' }) expectedDailyImpressions?: number | null;
}

@ObjectType({ description: 'Result of createPlacement or updatePlacement.' })
export class PlacementPayload {
  @Field(() => Placement, { nullable: true, description: 'The placement, when the change was made.' }) placement!: Placement | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}
