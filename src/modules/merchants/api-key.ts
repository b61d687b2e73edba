// API keys: random, shown once, stored as SHA-256. The prefix names the scope so a leaked key
// in a front end is recognisable as a storefront key.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyScope } from '../../db/generated/client';

const SCOPE_TAG: Record<ApiKeyScope, string> = { ADMIN: 'adm', STOREFRONT: 'sf' };

export function newApiKey(scope: ApiKeyScope): { key: string; prefix: string; hash: string } {
  const key = `shw_${SCOPE_TAG[scope]}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
