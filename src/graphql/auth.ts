// One auth checker. `@Authorized()` = any key of the merchant; `@Authorized(Scope.ADMIN)` = admin keys;
// storefront-safe operations list both scopes.
import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from './context';

export const ADMIN = 'ADMIN';
export const STOREFRONT = 'STOREFRONT';

export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) => {
  const auth = context.auth;
  if (!auth) throw new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } });
  if (roles.length === 0 || roles.includes(auth.scope)) return true;
  throw new GraphQLError(`This operation needs a key with scope ${roles.join(' or ')}; this key is ${auth.scope}.`, {
    extensions: { code: 'FORBIDDEN' },
  });
};
