// Expected failures (bad input, business rules) come back in mutation payloads, Shopify style.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A problem with the input of a mutation: nothing was changed because of it.' })
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault, e.g. ["input", "price"].' })
  field?: string[] | null;

  @Field({ description: 'What is wrong, in words a merchant can act on.' })
  message!: string;

  @Field({ description: 'Stable machine-readable code, e.g. INVALID, NOT_FOUND, TOO_LARGE.' })
  code!: string;
}

export function userError(message: string, code = 'INVALID', field?: string[]): UserError {
  return { message, code, field: field ?? null };
}
