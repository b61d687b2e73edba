import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ModelKind, ModelStatus } from '../../db/generated/enums';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';

registerEnumType(ModelKind, {
  name: 'ModelKind',
  description: 'What a model predicts.',
  valuesConfig: {
    CONVERSION: { description: 'P(buy | shown) per customer × product.' },
    DEMAND: { description: 'Launch demand quantiles.' },
    CUSTOMER_VALUE: { description: 'Future purchases, spend and churn.' },
  },
});
registerEnumType(ModelStatus, {
  name: 'ModelStatus',
  description: 'Lifecycle of a model version.',
  valuesConfig: {
    TRAINING: { description: 'Being trained.' },
    CANDIDATE: { description: 'Trained and evaluated, not serving.' },
    ACTIVE: { description: 'The version that serves predictions.' },
    RETIRED: { description: 'Served before; can be restored with rollbackModel.' },
    FAILED: { description: 'Training failed.' },
  },
});

@ObjectType({ description: 'An immutable trained model with its data window, parameters and held-out metrics.' })
export class ModelVersion {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  @Field(() => ModelKind, { description: 'What it predicts.' }) kind!: ModelKind;
  @Field(() => Int, { description: 'Version number within its kind, from 1.' }) version!: number;
  @Field(() => ModelStatus, { description: 'Where it is in its lifecycle.' }) status!: ModelStatus;
  @Field(() => Date, { nullable: true, description: 'Start of the training data window.' }) dataFrom!: Date | null;
  @Field(() => Date, { nullable: true, description: 'End of the training data window (the data clock at training time).' }) dataTo!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Which model of its kind this version is, where a kind has several: for CUSTOMER_VALUE, "bgnbd" (BG/NBD + Gamma-Gamma) or "calendar" (the calendar-aware TensorFlow.js count model with BG/NBD survival and Gamma-Gamma spend). Null for kinds with one model.',
  }) model!: string | null;
  @Field(() => GraphQLJSON, { description: 'Training parameters.' }) params!: unknown;
  @Field(() => GraphQLJSON, { description: 'Feature schema: vocabularies, dimensions, hashing buckets.' }) featureSchema!: unknown;
  @Field(() => GraphQLJSON, { description: 'Held-out evaluation: the primary metric, baselines, calibration, per-bucket breakdowns.' }) metrics!: unknown;
  @Field(() => String, { nullable: true, description: 'TensorFlow.js backend it was trained on (tensorflow, wasm).' }) backend!: string | null;
  @Field({ description: 'When training started.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it last became active.' }) promotedAt!: Date | null;
}

export const ModelVersionConnection = ConnectionType('ModelVersion', ModelVersion, 'model version');

@ObjectType({ description: 'Result of promoteModelVersion or rollbackModel.' })
export class ModelVersionPayload {
  @Field(() => ModelVersion, { nullable: true, description: 'The version now concerned (active on success).' }) modelVersion!: ModelVersion | null;
  @Field(() => [UserError], { description: 'Why nothing changed, if so.' }) userErrors!: UserError[];
}
