// Catalogue types of the merchant API.
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';
import { OrderStatus, ProductStatus } from '../../db/generated/enums';

registerEnumType(ProductStatus, { name: 'ProductStatus', description: 'Whether a product is on sale.' });
registerEnumType(OrderStatus, { name: 'OrderStatus', description: 'State of an order as a whole.' });

@ObjectType({ description: 'A product of the merchant\'s catalogue.' })
export class Product {
  @Field(() => ID, { description: 'Opaque global id.' })
  id!: string;

  internalId!: number;

  @Field({ description: 'The merchant\'s own id of the product.' })
  externalId!: string;

  @Field({ description: 'Product title.' }) title!: string;
  @Field({ description: 'Plain-text description.' }) description!: string;
  @Field(() => String, { nullable: true, description: 'Category path, e.g. "Kitchen > Knives".' }) category!: string | null;
  @Field(() => String, { nullable: true, description: 'Brand or vendor.' }) brand!: string | null;
  @Field(() => Float, { description: 'List price in the shop currency.' }) price!: number;
  @Field(() => Float, { nullable: true, description: 'Unit cost in the shop currency.' }) cost!: number | null;
  @Field(() => Int, { nullable: true, description: 'Units on hand.' }) stock!: number | null;
  @Field(() => [String], { description: 'Merchant tags.' }) tags!: string[];
  @Field(() => GraphQLJSON, { description: 'Other attributes from the merchant\'s data.' }) attributes!: unknown;
  @Field(() => ProductStatus, { description: 'Whether it is on sale.' }) status!: ProductStatus;
  @Field({ description: 'When the product was created in the shop.' }) createdAt!: Date;
  @Field({ description: 'When it went on sale (the recorded launch date, else its creation).' }) launchedAt!: Date;
  @Field(() => Int, { description: 'Net units sold in the 90 days before the data clock (returns netted, cancellations excluded).' }) unitsSold90d!: number;
  @Field(() => Float, { description: 'Net revenue of those units.' }) revenue90d!: number;
  @Field({ description: 'True when the product is outside the set of best sellers that make the first 80% (a setting) of trailing-90-day units.' }) isLongTail!: boolean;
  @Field({ description: 'True when launched within the last 30 days (a setting) of the data clock.' }) isNew!: boolean;
}

@ObjectType({ description: 'A shopper known to the merchant.' })
export class Customer {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  @Field({ description: 'The merchant\'s own id of the customer.' }) externalId!: string;
  @Field(() => GraphQLJSON, { description: 'Attributes from the merchant\'s data (country, segment, ...).' }) attributes!: unknown;
  @Field({ description: 'Signup time.' }) createdAt!: Date;
}

@ObjectType({ description: 'One line of an order. A negative quantity is a return, linked to the sale it reverses.' })
export class OrderLine {
  @Field(() => Int, { description: 'Line number within the order.' }) lineNo!: number;
  productId!: number;
  @Field(() => Int, { description: 'Units; negative for a return.' }) quantity!: number;
  @Field(() => Float, { description: 'Price per unit paid, in the shop currency.' }) unitPrice!: number;
  @Field(() => Int, { nullable: true, description: 'For a return: the line number of the sale it reverses.' }) returnOfLineNo!: number | null;
}

@ObjectType({ description: 'An order with its lines.' })
export class Order {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  customerInternalId!: number | null;
  @Field({ description: 'The merchant\'s own order id.' }) externalId!: string;
  @Field(() => OrderStatus, { description: 'Placed, cancelled or returned.' }) status!: OrderStatus;
  @Field({ description: 'When the order was placed.' }) orderedAt!: Date;
  @Field(() => [OrderLine], { description: 'Lines in line-number order.' }) lines!: OrderLine[];
  @Field(() => Float, { description: 'Sum of quantity × unit price over the lines (returns subtract).' }) total!: number;
}

@ObjectType({ description: 'The merchant this API key belongs to.' })
export class Shop {
  @Field({ description: 'Shop name.' }) name!: string;
  @Field({ description: 'ISO 4217 currency of all amounts.' }) currency!: string;
  @Field({ description: 'IANA time zone of the shop.' }) timeZone!: string;
  @Field(() => Date, { nullable: true, description: 'The data clock: time of the latest imported order or event. Trailing windows and "new" are measured on it.' })
  dataNow!: Date | null;
}

export const ProductConnection = ConnectionType('Product', Product, 'product');
export const CustomerConnection = ConnectionType('Customer', Customer, 'customer');
export const OrderConnection = ConnectionType('Order', Order, 'order');

@ObjectType({ description: 'Result of a product mutation.' })
export class ProductPayload {
  @Field(() => Product, { nullable: true, description: 'The product, when the mutation succeeded.' }) product!: Product | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}
