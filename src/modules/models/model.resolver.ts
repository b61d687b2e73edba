import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { ModelKind } from '../../db/generated/enums';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { intFromGlobalId } from '../../graphql/global-id';
import { decodeCursor, PageArgs, toConnection } from '../../graphql/relay';
import { userError } from '../../graphql/user-error';
import { BadInputError } from '../shared/errors';
import { modelVersionFromRow } from './model.mapper';
import { ModelVersion, ModelVersionConnection, ModelVersionPayload } from './model.types';

@ArgsType()
class ModelsArgs extends PageArgs {
  @Field(() => ModelKind, { nullable: true, description: 'Only this kind.' }) @IsOptional() kind?: ModelKind;
}

@Resolver(() => ModelVersion)
export class ModelResolver {
  @Authorized(ADMIN)
  @Query(() => ModelVersionConnection, { description: 'Model versions, newest first.' })
  async models(@Args() a: ModelsArgs, @Ctx() ctx: GraphQLContext) {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await ctx.services.models.list(merchantOf(ctx), a.kind, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], modelVersionFromRow);
  }

  @Authorized(ADMIN)
  @Query(() => ModelVersion, { nullable: true, description: 'One model version.' })
  async modelVersion(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    const n = intFromGlobalId(id, 'ModelVersion');
    const row = n === null ? null : await ctx.services.models.get(merchantOf(ctx), n);
    return row ? modelVersionFromRow(row) : null;
  }

  @Authorized(ADMIN)
  @Mutation(() => ModelVersionPayload, { description: 'Makes a version active. Without force, only when it beats the active version on the held-out split.' })
  async promoteModelVersion(
    @Arg('id', () => ID) id: string,
    @Arg('force', { defaultValue: false, description: 'Promote even if it does not beat the active version.' }) force: boolean,
    @Ctx() ctx: GraphQLContext,
  ) {
    const n = intFromGlobalId(id, 'ModelVersion');
    if (n === null) return { modelVersion: null, userErrors: [userError('No model version with this id', 'NOT_FOUND', ['id'])] };
    const { version, userErrors } = await ctx.services.models.promote(merchantOf(ctx), n, force);
    return { modelVersion: version ? modelVersionFromRow(version) : null, userErrors };
  }

  @Authorized(ADMIN)
  @Mutation(() => ModelVersionPayload, { description: 'Restores the version that was active before the current one.' })
  async rollbackModel(@Arg('kind', () => ModelKind) kind: ModelKind, @Ctx() ctx: GraphQLContext) {
    const { version, userErrors } = await ctx.services.models.rollback(merchantOf(ctx), kind);
    return { modelVersion: version ? modelVersionFromRow(version) : null, userErrors };
  }
}
