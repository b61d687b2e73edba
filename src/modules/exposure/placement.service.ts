// Placements: validated create/update (userErrors for bad input or a taken handle) and reads with
// the impressions observed there over the 30 days up to the data clock.
import type { Database } from '../../db/database';
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { decodeCursor, toConnection, type Connection } from '../../graphql/relay';
import { userError, type UserError } from '../../graphql/user-error';
import { DAY_MS, merchantNow } from '../catalog/data-clock';
import { BadInputError } from '../shared/errors';
import type { PlacementRepository, PlacementRow } from './placement.repository';
import type { Placement } from './placement.types';

const HANDLE = /^[A-Za-z0-9_-]{1,100}$/;
export const MAX_SLOTS = 1000;

export interface PlacementFields { handle?: string | null; name?: string | null; slots?: number | null; expectedDailyImpressions?: number | null }

export class PlacementService {
  constructor(private readonly db: Database, private readonly repo: PlacementRepository) {}

  private async toPlacements(merchantId: number, rows: PlacementRow[]): Promise<Placement[]> {
    const now = await merchantNow(this.db, merchantId);
    const counts = await this.repo.impressionCounts(merchantId, rows.map((r) => r.id), new Date(now.getTime() - 30 * DAY_MS), now);
    return rows.map((r) => ({
      id: toGlobalId('Placement', r.id), internalId: r.id, handle: r.handle, name: r.name, slots: r.slots,
      expectedDailyImpressions: r.expectedDailyImpressions, observedImpressions30d: counts.get(r.id) ?? 0, createdAt: r.createdAt,
    }));
  }

  private validate(f: PlacementFields, creating: boolean): UserError[] {
    const errors: UserError[] = [];
    if ((creating || f.handle != null) && !HANDLE.test(f.handle ?? '')) {
      errors.push(userError('handle must be 1–100 letters, digits, - or _', 'INVALID', ['input', 'handle']));
    }
    if (f.name != null && f.name.length > 200) errors.push(userError('name must be at most 200 characters', 'INVALID', ['input', 'name']));
    if (f.slots != null && !(Number.isInteger(f.slots) && f.slots >= 1 && f.slots <= MAX_SLOTS)) {
      errors.push(userError(`slots must be a whole number 1–${MAX_SLOTS}`, 'INVALID', ['input', 'slots']));
    }
    if (f.expectedDailyImpressions != null && !(Number.isInteger(f.expectedDailyImpressions) && f.expectedDailyImpressions >= 0 && f.expectedDailyImpressions <= 1e9)) {
      errors.push(userError('expectedDailyImpressions must be a whole number 0–1,000,000,000', 'INVALID', ['input', 'expectedDailyImpressions']));
    }
    return errors;
  }

  async create(merchantId: number, f: PlacementFields): Promise<{ placement: Placement | null; userErrors: UserError[] }> {
    const errors = this.validate(f, true);
    if (errors.length) return { placement: null, userErrors: errors };
    const row = await this.repo.create(merchantId, { handle: f.handle!, name: f.name ?? null, slots: f.slots ?? 10, expectedDailyImpressions: f.expectedDailyImpressions ?? 0 });
    if (!row) return { placement: null, userErrors: [userError(`A placement with handle "${f.handle}" exists already`, 'TAKEN', ['input', 'handle'])] };
    return { placement: (await this.toPlacements(merchantId, [row]))[0], userErrors: [] };
  }

  async update(merchantId: number, gid: string, f: PlacementFields): Promise<{ placement: Placement | null; userErrors: UserError[] }> {
    const id = intFromGlobalId(gid, 'Placement');
    if (id === null) return { placement: null, userErrors: [userError('No placement with this id', 'NOT_FOUND', ['id'])] };
    const errors = this.validate(f, false);
    if (errors.length) return { placement: null, userErrors: errors };
    const data: Parameters<PlacementRepository['update']>[2] = {};
    if (f.handle != null) data.handle = f.handle;
    if (f.name !== undefined) data.name = f.name;
    if (f.slots != null) data.slots = f.slots;
    if (f.expectedDailyImpressions != null) data.expectedDailyImpressions = f.expectedDailyImpressions;
    const row = await this.repo.update(merchantId, id, data);
    if (row === 'TAKEN') return { placement: null, userErrors: [userError(`A placement with handle "${f.handle}" exists already`, 'TAKEN', ['input', 'handle'])] };
    if (!row) return { placement: null, userErrors: [userError('No placement with this id', 'NOT_FOUND', ['id'])] };
    return { placement: (await this.toPlacements(merchantId, [row]))[0], userErrors: [] };
  }

  async get(merchantId: number, gid: string): Promise<Placement | null> {
    const id = intFromGlobalId(gid, 'Placement');
    const row = id === null ? null : await this.repo.find(merchantId, id);
    return row ? (await this.toPlacements(merchantId, [row]))[0] : null;
  }

  /** By internal id (field resolvers); null when it is not the merchant's. */
  async byId(merchantId: number, id: number): Promise<Placement | null> {
    const row = await this.repo.find(merchantId, id);
    return row ? (await this.toPlacements(merchantId, [row]))[0] : null;
  }

  async list(merchantId: number, a: { first: number; after?: string }): Promise<Connection<Placement>> {
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.repo.list(merchantId, a.first + 1, after ? Number(after[0]) : null);
    const mapped = await this.toPlacements(merchantId, rows.slice(0, a.first));
    const byId = new Map(mapped.map((p) => [p.internalId, p]));
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], (r) => byId.get(r.id)!);
  }
}
