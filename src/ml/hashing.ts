// Feature hashing: a fast, stable 32-bit string hash (MurmurHash3 x86_32 over UTF-16 code units), a
// tokenizer for product titles and descriptions, and hashed token ids in a fixed number of buckets.
// Stable across processes and versions: hashed ids are stored in model artifacts, so never change
// the functions' outputs without bumping the model's feature-schema version.

/** MurmurHash3 (x86, 32-bit) of a string's UTF-16 code units. */
export function hashString(s: string, seed = 0): number {
  let h = seed >>> 0;
  const n = s.length;
  let i = 0;
  // Two UTF-16 code units per 32-bit block.
  for (; i + 1 < n; i += 2) {
    let k = (s.charCodeAt(i) & 0xffff) | ((s.charCodeAt(i + 1) & 0xffff) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = s.charCodeAt(i) & 0xffff;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n * 2;
  return fmix32(h);
}

/** Murmur's finaliser: a good avalanche for integers (hashing numeric ids). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of an integer id (with a seed), uniform over 32 bits. */
export function hashInt(id: number, seed = 0): number {
  return fmix32((Math.imul(id | 0, 0x9e3779b1) ^ seed) | 0);
}

/** Bucket of a string in [0, buckets). */
export function bucketOf(s: string, buckets: number, seed = 0): number {
  return hashString(s, seed) % buckets;
}

const STOPWORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'in', 'is', 'it', 'its', 'of', 'on',
  'or', 'that', 'the', 'this', 'to', 'with', 'you', 'your', 'our', 'we', 'not', 'do', 'does', 'will', 'can',
]);

/**
 * Lower-cased word tokens (letters and digits, accents kept), stop words and 1-character tokens
 * dropped. Punctuation splits words; hyphenated words are kept whole as well as split.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}-]+/u)) {
    if (raw.length === 0) continue;
    const parts = raw.split('-').filter((p) => p.length > 0);
    if (parts.length > 1) {
      const joined = parts.join('-');
      if (!STOPWORDS.has(joined)) out.push(joined);
    }
    for (const p of parts) if (p.length > 1 && !STOPWORDS.has(p)) out.push(p);
  }
  return out;
}

/**
 * Up to K distinct hashed token ids of a text in [1, buckets) (0 is the padding id), in order of
 * first appearance; title tokens should come first so they survive truncation. Fields are hashed
 * with a per-field prefix, so "title:wool" and "desc:wool" are different features.
 */
export function hashTokens(fields: readonly { prefix: string; text: string }[], k: number, buckets: number,
  out: Int32Array = new Int32Array(k), offset = 0): Int32Array {
  let n = 0;
  const seen = new Set<number>();
  for (const { prefix, text } of fields) {
    for (const tok of tokenize(text)) {
      if (n >= k) break;
      const id = 1 + (hashString(prefix + tok) % (buckets - 1));
      if (seen.has(id)) continue;
      seen.add(id);
      out[offset + n++] = id;
    }
  }
  for (; n < k; n++) out[offset + n] = 0;
  return out;
}
