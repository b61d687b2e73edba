// Per-field parsing shared by every kind. Each parser reads one named field of a raw record,
// treats null/empty as absent, and either returns a value ready for SQL (strings for decimals
// and timestamps, so nothing is lost to floating point or time zones) or throws a RowError
// naming the field.

export class RowError extends Error {
  constructor(readonly field: string | undefined, message: string) { super(message); }
}

type Fields = Record<string, unknown>;
interface Req { required?: boolean }

/** Longest external id / handle we accept: keys are indexed and B-tree entries are bounded. */
export const MAX_KEY_LENGTH = 255;
const MAX_TEXT_LENGTH = 100_000;

function raw(fields: Fields, name: string): unknown {
  const v = fields[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  return v;
}

function missing(name: string, required: boolean | undefined): undefined {
  if (required) throw new RowError(name, `${name} is required`);
  return undefined;
}

export function text(fields: Fields, name: string, opts: Req & { maxLength?: number } = {}): string | undefined {
  return textValue(fields, name, opts.required, opts.maxLength ?? MAX_TEXT_LENGTH);
}

export function key(fields: Fields, name: string, opts: Req = {}): string | undefined {
  return textValue(fields, name, opts.required, MAX_KEY_LENGTH);
}

function textValue(fields: Fields, name: string, required: boolean | undefined, max: number): string | undefined {
  const v = raw(fields, name);
  if (v === undefined) return missing(name, required);
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new RowError(name, `${name} must be a string`);
  }
  const s = typeof v === 'string' ? v : String(v);
  if (s.length > max) throw new RowError(name, `${name} is longer than ${max} characters`);
  if (s.includes('\u0000')) throw new RowError(name, `${name} contains a NUL character`);
  return s;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Our money columns are DECIMAL(12,2). */
const MAX_DECIMAL = 9_999_999_999.99;

/** A decimal as a string (exact), e.g. prices. */
export function decimal(fields: Fields, name: string, opts: Req & { min?: number } = {}): string | undefined {
  const v = raw(fields, name);
  if (v === undefined) return missing(name, opts.required);
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string' || !DECIMAL.test(s)) throw new RowError(name, `${name} must be a number like 12.50`);
  const n = Number(s);
  if (opts.min !== undefined && n < opts.min) throw new RowError(name, `${name} must be at least ${opts.min}`);
  if (Math.abs(n) > MAX_DECIMAL) throw new RowError(name, `${name} is too large`);
  return s;
}

const INTEGER = /^[+-]?\d+$/;

export function integer(fields: Fields, name: string, opts: Req & { min?: number; nonZero?: boolean } = {}): number | undefined {
  const v = raw(fields, name);
  if (v === undefined) return missing(name, opts.required);
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && INTEGER.test(v)) n = Number(v);
  else throw new RowError(name, `${name} must be a whole number`);
  if (!Number.isInteger(n)) throw new RowError(name, `${name} must be a whole number`);
  if (n > 2_147_483_647 || n < -2_147_483_648) throw new RowError(name, `${name} is out of range`);
  if (opts.min !== undefined && n < opts.min) throw new RowError(name, `${name} must be at least ${opts.min}`);
  if (opts.nonZero && n === 0) throw new RowError(name, `${name} must not be 0`);
  return n;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * ISO 8601 date or date-time, normalised to `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC, milliseconds, as
 * stored). A date alone means midnight UTC; a date-time without an offset is taken as UTC.
 */
export function timestamp(fields: Fields, name: string, opts: Req = {}): string | undefined {
  const v = raw(fields, name);
  if (v === undefined) return missing(name, opts.required);
  const iso = typeof v === 'string' ? parseTimestamp(v) : undefined;
  if (iso === undefined) throw new RowError(name, `${name} must be an ISO 8601 date or date-time, e.g. 2026-11-27T10:00:00Z`);
  return iso;
}

export function parseTimestamp(s: string): string | undefined {
  const fast = canonicalUtc(s);
  if (fast !== undefined) return fast;
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  if (!validDateTime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec))) return undefined;
  let offset = 'Z';
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    offset = `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2) || '00'}`;
  }
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function validDateTime(year: number, month: number, day: number, h: number, mi: number, sec: number): boolean {
  if (year < 1000 || month < 1 || month > 12 || day < 1 || h > 23 || mi > 59 || sec > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Fast path for the form exports use most, `2026-11-27T10:00:00Z` or `...00.123Z` (one row in
 * a million-row file must not cost a regex and two Date conversions).
 */
function canonicalUtc(s: string): string | undefined {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(10) !== 84 /* T */) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  if (n === 24 && (s.charCodeAt(19) !== 46 || digits(s, 20, 3) < 0)) return undefined;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  const h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if ((year | month | day | h | mi | sec) < 0 || !validDateTime(year, month, day, h, mi, sec)) return undefined;
  return n === 24 ? s : `${s.slice(0, 19)}.000Z`;
}

/** The decimal number in s[at, at+len), or -1 if any character is not a digit. */
function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** A value from a fixed vocabulary, matched case-insensitively; returns the mapped value. */
export function oneOf<T>(fields: Fields, name: string, vocabulary: Record<string, T>, opts: Req & { default?: T } = {}): T | undefined {
  const v = raw(fields, name);
  if (v === undefined) return opts.default ?? missing(name, opts.required);
  const found = typeof v === 'string' ? vocabulary[v.toLowerCase()] : undefined;
  if (found === undefined) throw new RowError(name, `${name} must be one of ${Object.keys(vocabulary).join(', ')}`);
  return found;
}

/** Tags: `|`-separated in CSV, an array of strings (or a `|`-separated string) in JSONL. */
export function tagList(fields: Fields, name: string, separator = '|'): string[] {
  const v = raw(fields, name);
  if (v === undefined) return [];
  let parts: unknown[];
  if (Array.isArray(v)) parts = v;
  else if (typeof v === 'string') parts = v.split(separator);
  else throw new RowError(name, `${name} must be a list of strings`);
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string' && typeof p !== 'number') throw new RowError(name, `${name} must be a list of strings`);
    const t = String(p).trim();
    if (t.includes('\u0000')) throw new RowError(name, `${name} contains a NUL character`);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Every field not in `known`, as a JSON object string (empty values dropped). */
export function attributes(fields: Fields, known: ReadonlySet<string>): string {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const k of Object.keys(fields)) {
    if (known.has(k)) continue;
    let v = fields[k];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') {
      v = v.trim();
      if (v === '') continue;
    }
    out[k] = v;
    any = true;
  }
  if (!any) return '{}';
  const json = JSON.stringify(out);
  if (json.includes('\\u0000')) throw new RowError(undefined, 'a column contains a NUL character');
  return json;
}
