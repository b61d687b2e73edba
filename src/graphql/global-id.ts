// Opaque global IDs: base64url of `gid://shelfwise/<Type>/<id>`. Clients must not parse them;
// merchant-side identifiers are exposed separately as `externalId`.
export type NodeTypeName = 'Product' | 'Customer' | 'Order' | 'OrderLine' | 'Job' | 'StagedUpload' | 'ApiKey'
  | 'Placement' | 'ModelVersion' | 'ExposurePlan' | 'Launch' | 'RiskFlag' | 'RecommendationEvaluation'
  | 'LaunchScenario';

export function toGlobalId(type: NodeTypeName, id: number | string): string {
  return Buffer.from(`gid://shelfwise/${type}/${id}`).toString('base64url');
}

/** Decodes a global id of the expected type; null when it is malformed or names another type. */
export function fromGlobalId(gid: string, type: NodeTypeName): string | null {
  let text: string;
  try { text = Buffer.from(gid, 'base64url').toString('utf8'); } catch { return null; }
  const m = /^gid:\/\/shelfwise\/([A-Za-z]+)\/([\w-]+)$/.exec(text);
  if (!m || m[1] !== type) return null;
  return m[2];
}

/** Decodes an integer-keyed global id; null when malformed or of another type. */
export function intFromGlobalId(gid: string, type: NodeTypeName): number | null {
  const raw = fromGlobalId(gid, type);
  if (raw === null || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 2_147_483_647 ? n : null;
}
