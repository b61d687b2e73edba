// GraphQL shape of an import's outcome (stored inline as the Job's result).
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IMPORT_KINDS } from './import.types';

export enum ImportKindEnum { PRODUCTS = 'products', CUSTOMERS = 'customers', ORDERS = 'orders', EVENTS = 'events' }
registerEnumType(ImportKindEnum, { name: 'ImportKind', description: `What a file holds: ${IMPORT_KINDS.join(', ')} (see docs/data-format.md).` });

@ObjectType({ description: 'A row of an import file that was not written, and why.' })
export class ImportRowError {
  @Field(() => Int, { description: '1-based line number in the file (the header is line 1 for CSV).' }) line!: number;
  @Field({ description: 'What is wrong with the row.' }) message!: string;
  @Field(() => String, { nullable: true, description: 'The column at fault, when one is.' }) field?: string | null;
}

@ObjectType({ description: 'Outcome of a bulk import.' })
export class ImportResult {
  @Field(() => ImportKindEnum, { description: 'What the file held.' }) kind!: ImportKindEnum;
  @Field({ description: 'Detected format: csv, jsonl or shopify_csv.' }) format!: string;
  @Field(() => Int, { description: 'Data rows read.' }) rowsRead!: number;
  @Field(() => Int, { description: 'Rows written (inserted or updated; a re-imported row counts again).' }) rowsWritten!: number;
  @Field(() => Int, { description: 'Rows rejected.' }) rowsFailed!: number;
  @Field(() => [ImportRowError], { description: 'The first 1,000 row errors.' }) errors!: ImportRowError[];
  @Field(() => Int, { description: 'All row errors, including those not listed.' }) errorCount!: number;
  @Field(() => Int, { description: 'Bytes of the file read.' }) bytesRead!: number;
}
