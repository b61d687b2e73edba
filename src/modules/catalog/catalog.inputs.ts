import { ArgsType, Field, Float, InputType, Int, registerEnumType } from 'type-graphql';
import { IsOptional, Length, Max, Min } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { OrderStatus, ProductStatus } from '../../db/generated/enums';
import { PageArgs } from '../../graphql/relay';

export enum ProductSortKey { CREATED_AT = 'CREATED_AT', SALES = 'SALES', TITLE = 'TITLE', ID = 'ID' }
registerEnumType(ProductSortKey, {
  name: 'ProductSortKey',
  description: 'Orderings of the product list.',
  valuesConfig: {
    CREATED_AT: { description: 'Newest first.' },
    SALES: { description: 'Most trailing-90-day units first.' },
    TITLE: { description: 'Alphabetical.' },
    ID: { description: 'Creation order of the rows (stable).' },
  },
});

@ArgsType()
export class ProductsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this exact category.' }) @IsOptional() category?: string;
  @Field(() => String, { nullable: true, description: 'Only this exact brand.' }) @IsOptional() brand?: string;
  @Field(() => ProductStatus, { nullable: true }) @IsOptional() status?: ProductStatus;
  @Field(() => String, { nullable: true, description: 'Text search in title, description and external id.' }) @IsOptional() @Length(1, 200) query?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only long-tail (true) or only head (false) products.' }) @IsOptional() longTail?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Only new (true) or only established (false) products.' }) @IsOptional() isNew?: boolean;
  @Field(() => ProductSortKey, { defaultValue: ProductSortKey.CREATED_AT }) sortKey: ProductSortKey = ProductSortKey.CREATED_AT;
  @Field(() => Date, { nullable: true, description: 'Measure trailing sales, long-tail and new flags at this time instead of the data clock.' }) @IsOptional() asOf?: Date;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Prefix of the external id.' }) @IsOptional() @Length(1, 200) query?: string;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => OrderStatus, { nullable: true }) @IsOptional() status?: OrderStatus;
  @Field(() => String, { nullable: true, description: 'Only orders of this customer (global id).' }) @IsOptional() customerId?: string;
  @Field(() => Date, { nullable: true, description: 'Ordered at or after.' }) @IsOptional() from?: Date;
  @Field(() => Date, { nullable: true, description: 'Ordered before.' }) @IsOptional() to?: Date;
}

@InputType({ description: 'A product to create or update, keyed by its external id.' })
export class ProductInput {
  @Field({ description: 'The merchant\'s id of the product.' }) @Length(1, 255) externalId!: string;
  @Field({ description: 'Product title.' }) @Length(1, 1000) title!: string;
  @Field(() => String, { nullable: true, description: 'Plain-text description.' }) @IsOptional() @Length(0, 100_000) description?: string;
  @Field(() => String, { nullable: true, description: 'Category path.' }) @IsOptional() @Length(1, 500) category?: string;
  @Field(() => String, { nullable: true, description: 'Brand or vendor.' }) @IsOptional() @Length(1, 255) brand?: string;
  @Field(() => Float, { description: 'List price in the shop currency.' }) @Min(0) @Max(1e9) price!: number;
  @Field(() => Float, { nullable: true, description: 'Unit cost.' }) @IsOptional() @Min(0) @Max(1e9) cost?: number;
  @Field(() => Int, { nullable: true, description: 'Units on hand.' }) @IsOptional() @Min(-1e9) @Max(1e9) stock?: number;
  @Field(() => [String], { nullable: true, description: 'Merchant tags (replace the existing ones).' }) @IsOptional() tags?: string[];
  @Field(() => GraphQLJSON, { nullable: true, description: 'Other attributes, a JSON object.' }) @IsOptional() attributes?: Record<string, unknown>;
  @Field(() => ProductStatus, { nullable: true, description: 'Default ACTIVE.' }) @IsOptional() status?: ProductStatus;
  @Field(() => Date, { nullable: true, description: 'When it was created in the shop; default now.' }) @IsOptional() createdAt?: Date;
  @Field(() => Date, { nullable: true, description: 'When it went (or goes) on sale.' }) @IsOptional() launchedAt?: Date;
}

