import type { ApiKeyScope } from '../../db/generated/client';
import { hashApiKey, newApiKey } from './api-key';
import { MerchantRepository } from './merchant.repository';

const KEY_CACHE_MS = 5_000;

export interface AuthContext { merchantId: number; scope: ApiKeyScope; apiKeyId: number }

export class MerchantService {
  private readonly touched = new Map<number, number>();
  /** Short-lived cache of key lookups: a revoked key stops working within KEY_CACHE_MS everywhere. */
  private readonly cache = new Map<string, { auth: AuthContext | null; until: number }>();

  constructor(private readonly repo: MerchantRepository) {}

  /** Creates a merchant with one admin key; the key is returned once and never stored. */
  async create(input: { name: string; currency?: string; timeZone?: string }) {
    const currency = (input.currency ?? 'USD').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`Currency must be an ISO 4217 code, got "${input.currency}"`);
    const timeZone = input.timeZone ?? 'UTC';
    try { new Intl.DateTimeFormat('en', { timeZone }); } catch { throw new Error(`Unknown time zone "${timeZone}"`); }
    const merchant = await this.repo.create({ name: input.name, currency, timeZone });
    const { key } = await this.createKey(merchant.id, 'ADMIN', 'default admin key');
    return { merchant, key };
  }

  async createKey(merchantId: number, scope: ApiKeyScope, name: string) {
    const { key, prefix, hash } = newApiKey(scope);
    const row = await this.repo.createKey({ merchantId, name, prefix, hash, scope });
    return { key, apiKey: row };
  }

  async revokeKey(merchantId: number, keyId: number) {
    const ok = await this.repo.revokeKey(merchantId, keyId);
    this.cache.clear();
    return ok;
  }
  listKeys(merchantId: number) { return this.repo.listKeys(merchantId); }
  find(id: number) { return this.repo.find(id); }
  findByName(name: string) { return this.repo.findByName(name); }
  list() { return this.repo.list(); }

  /** Resolves a presented key to its merchant and scope; null for unknown or revoked keys. */
  async authenticate(key: string): Promise<AuthContext | null> {
    const hash = hashApiKey(key);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.auth;
    const row = await this.repo.findActiveKeyByHash(hash);
    const auth = row ? { merchantId: row.merchantId, scope: row.scope, apiKeyId: row.id } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { auth, until: Date.now() + KEY_CACHE_MS });
    if (!row) return null;
    const last = this.touched.get(row.id) ?? 0;
    if (Date.now() - last > 60_000) { // record use at most once a minute per key
      this.touched.set(row.id, Date.now());
      void this.repo.touchKey(row.id).catch(() => undefined);
    }
    return auth;
  }
}
