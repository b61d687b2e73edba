import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import { UserError } from '../../graphql/user-error';
import { jobFromRow } from '../jobs/job.mapper';
import { JobPayload } from '../jobs/job.types';
import { ImportKindEnum } from './import-result.types';

@InputType({ description: 'A file the client is about to upload.' })
class StagedUploadInput {
  @Field({ description: 'The file\'s name, for the record.' }) @Length(1, 255) filename!: string;
  @Field(() => String, { nullable: true, description: 'MIME type, e.g. text/csv.' }) @IsOptional() @Length(1, 255) mimeType?: string;
}

@ObjectType({ description: 'Where to upload a file: PUT its bytes to `url`, then call `startImport` with `id`.' })
class StagedUploadTarget {
  @Field(() => ID, { description: 'Pass this to startImport.' }) id!: string;
  @Field({ description: 'Upload URL on this server; PUT the raw file body to it (no auth header needed: the URL is the secret).' }) url!: string;
  @Field({ description: 'HTTP method to use.' }) method!: string;
  @Field({ description: 'The URL stops working after this time.' }) expiresAt!: Date;
  @Field(() => Int, { description: 'Largest accepted file, in bytes (capped at the 32-bit range here).' }) maxBytes!: number;
}

@ObjectType({ description: 'Result of stagedUploadCreate.' })
class StagedUploadPayload {
  @Field(() => StagedUploadTarget, { nullable: true, description: 'Where to upload, when the mutation succeeded.' }) stagedUpload!: StagedUploadTarget | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}

@Resolver()
export class ImportResolver {
  @Authorized(ADMIN)
  @Mutation(() => StagedUploadPayload, { description: 'Reserves an upload URL for an import file.' })
  async stagedUploadCreate(@Arg('input', () => StagedUploadInput) input: StagedUploadInput, @Ctx() ctx: GraphQLContext) {
    const t = await ctx.services.uploads.createStaged(merchantOf(ctx), input.filename, input.mimeType);
    return {
      stagedUpload: { id: toGlobalId('StagedUpload', t.id), url: t.url, method: 'PUT', expiresAt: t.expiresAt, maxBytes: Math.min(t.maxBytes, 2 ** 31 - 1) },
      userErrors: [],
    };
  }

  @Authorized(ADMIN)
  @Mutation(() => JobPayload, { description: 'Starts importing a staged upload. Follow the job with `jobUpdated`; its result is an ImportResult.' })
  async startImport(
    @Arg('stagedUploadId', () => ID) stagedUploadId: string,
    @Arg('kind', () => ImportKindEnum) kind: ImportKindEnum,
    @Ctx() ctx: GraphQLContext,
  ) {
    const { job, userErrors } = await ctx.services.imports.start(merchantOf(ctx), stagedUploadId, kind);
    return { job: job ? jobFromRow(job) : null, userErrors };
  }
}
