// Errors a client may see keep their message and code; anything else (a bug, SQL, Prisma, a
// crashed dependency) is logged with the request id and replaced by a generic error.
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { Logger } from '../logger';
import { BadInputError } from '../modules/shared/errors';

const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'MAX_COST_EXCEEDED', 'MAX_DEPTH_EXCEEDED',
  'THROTTLED', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST',
]);

export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      const details = original.extensions?.validationErrors as Array<{ property: string; constraints?: Record<string, string> }> | undefined;
      const message = details?.map((d) => Object.values(d.constraints ?? {}).join('; ')).join('; ') || 'Invalid argument';
      return { message, path: formatted.path, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (original instanceof BadInputError) {
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT', field: original.field } };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code && PUBLIC_CODES.has(code)) return formatted;
    if (original instanceof GraphQLError && !original.originalError && code === undefined) return formatted;
    log.error({ err: original, path: formatted.path }, 'internal error in GraphQL operation');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
