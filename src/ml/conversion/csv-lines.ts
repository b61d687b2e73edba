// Minimal CSV reading for the generator's files: a streaming line iterator for the big unquoted files
// (events, truth/exposures) and an RFC 4180 record parser for the small quoted ones (products,
// customers). Not a general importer: that is src/modules/imports' job.
import { createReadStream, readFileSync } from 'node:fs';

/** Lines of a UTF-8 file, without line terminators, streamed in 1 MB chunks. */
export async function* readLines(file: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield rest;
}

/** All records of a (possibly quoted) CSV file as string arrays, header first. */
export function readCsvRecords(file: string): string[][] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quoted) {
      if (ch === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i++;
        } else quoted = false;
      } else field += text[i];
    } else if (ch === 34) quoted = true;
    else if (ch === 44) {
      record.push(field);
      field = '';
    } else if (ch === 10 || ch === 13) {
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      record.push(field);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      field = '';
    } else field += text[i];
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Column positions by name; throws naming the file when a required column is missing. */
export function columnIndex(header: readonly string[], names: readonly string[], file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    const k = header.indexOf(n);
    if (k < 0) throw new Error(`${file}: missing column ${n}`);
    out[n] = k;
  }
  return out;
}

/**
 * Milliseconds of an ISO-8601 UTC timestamp. The generator's `YYYY-MM-DDTHH:MM:SS(.sss)Z` is parsed
 * by hand (several times faster than Date.parse); anything else falls back to Date.parse. NaN when empty.
 */
export function parseIsoMs(s: string): number {
  if (s.length === 0) return NaN;
  if (s.length >= 20 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(s.length - 1) === 90) {
    const num = (a: number, b: number) => {
      let v = 0;
      for (let i = a; i < b; i++) v = v * 10 + (s.charCodeAt(i) - 48);
      return v;
    };
    let ms = 0;
    if (s.length > 20 && s.charCodeAt(19) === 46) ms = Math.round(Number('0' + s.slice(19, s.length - 1)) * 1000);
    return Date.UTC(num(0, 4), num(5, 7) - 1, num(8, 10), num(11, 13), num(14, 16), num(17, 19)) + ms;
  }
  return Date.parse(s);
}
