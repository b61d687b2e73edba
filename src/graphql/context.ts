// The per-request context: who is calling (from the API key) and the services to call.
import { GraphQLError } from 'graphql';
import type { AuthContext } from '../modules/merchants/merchant.service';
import type { Services } from '../services';
import type { Loaders } from './loaders';

export interface GraphQLContext {
  auth: AuthContext | null;
  services: Services;
  requestId: string;
  /** Per-request batch loaders, scoped to the caller's merchant. */
  loaders: Loaders;
}

export function bearerKey(header: string | undefined | null): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * Authenticates a request. A missing or unknown key is an error before anything executes:
 * every Shelfwise operation belongs to one merchant.
 */
export async function authenticate(services: Services, authorization: string | undefined | null): Promise<AuthContext> {
  const key = bearerKey(authorization);
  if (!key) {
    throw new GraphQLError('Missing API key: send the header `Authorization: Bearer <api key>`.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  const auth = await services.merchants.authenticate(key);
  if (!auth) {
    throw new GraphQLError('Invalid or revoked API key.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  return auth;
}

/** The caller's merchant id; resolvers never take one as an argument. */
export function merchantOf(ctx: GraphQLContext): number {
  if (!ctx.auth) throw new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.auth.merchantId;
}
