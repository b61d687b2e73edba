// The stored artifact of a conversion model version: the ML artifact (src/ml/conversion/serialize)
// wrapped with the id mapping of its dataset indices (product and customer row ids), so a worker on
// any machine can load it and scoring can translate ids. Layout:
//   "SWCA" | u32 version | u32 products | u32 customers | i32[products] | i32[customers] | ML bytes
// The mapping holds internal row ids only, never merchant-side identifiers.
const MAGIC = 0x41435753; // "SWCA" little-endian

export interface ConversionArtifact { ml: Uint8Array; productIds: Int32Array; customerIds: Int32Array }

export function wrapConversionArtifact(a: ConversionArtifact): Uint8Array {
  const headerBytes = 16;
  const out = new Uint8Array(headerBytes + 4 * (a.productIds.length + a.customerIds.length) + a.ml.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, a.productIds.length, true);
  view.setUint32(12, a.customerIds.length, true);
  let at = headerBytes;
  for (const arr of [a.productIds, a.customerIds]) {
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), at);
    at += arr.byteLength;
  }
  out.set(a.ml, at);
  return out;
}

export function unwrapConversionArtifact(bytes: Uint8Array): ConversionArtifact {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('Not a Shelfwise conversion artifact');
  const np = view.getUint32(8, true);
  const nc = view.getUint32(12, true);
  let at = 16;
  const ints = (n: number) => { const a = new Int32Array(n); new Uint8Array(a.buffer).set(bytes.subarray(at, at + 4 * n)); at += 4 * n; return a; };
  const productIds = ints(np);
  const customerIds = ints(nc);
  return { productIds, customerIds, ml: bytes.slice(at) };
}

/** True when `prefix` equals the start of `ids` (an older model's index space is a prefix of today's). */
export function isPrefix(prefix: Int32Array, ids: Int32Array): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== ids[i]) return false;
  return true;
}
