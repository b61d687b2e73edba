// Streaming CSV (RFC 4180) to rows of strings with the file line each row starts on, using
// csv-parse as a stream so memory stays flat. Rows csv-parse cannot split come out, in file
// order, as unreadable rows instead of stopping the import.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, Parser } from 'csv-parse';

export type CsvItem = { line: number; values: string[] } | { line: number; error: string };

/** Longest record we buffer: guards against an unclosed quote swallowing the whole file. */
const MAX_RECORD_CHARS = 1_000_000;

/** Pushed into the parser's output by `on_skip`, so it arrives in file order. */
class SkippedRow { constructor(readonly parserLine: number, readonly message: string) {} }

export async function* readCsv(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvItem> {
  // No on_record/info options: csv-parse builds a context object per record for those, a
  // third of its cost. Line numbers are counted here instead: blank lines are kept as
  // records (and dropped below), so each record spans 1 + its fields' line breaks.
  let parser: Parser | undefined = undefined;
  parser = parse({
    bom: true,
    relax_column_count: true, // we report a wrong field count as a row error ourselves
    relax_quotes: true,       // a stray quote inside an unquoted field is data, not an error
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (err) => {
      parser!.push(new SkippedRow(Number(err?.lines ?? 0), csvErrorMessage(err?.code, err?.message)));
      return undefined;
    },
  });
  const feeding = pipeline(Readable.from(chunks, { objectMode: false }), parser);
  feeding.catch(() => undefined); // surfaced through the parser's iterator below
  let line = 1;
  for await (const item of parser as AsyncIterable<string[] | SkippedRow>) {
    if (item instanceof SkippedRow) {
      yield { line, error: item.message };
      // The broken row's extent is unknown; carry on from where csv-parse detected the problem.
      line = Math.max(line + 1, item.parserLine + 1);
      continue;
    }
    const start = line;
    line += 1 + lineBreaks(item);
    if (item.length === 1 && item[0].trim() === '') continue; // a blank line
    yield { line: start, values: item };
  }
  await feeding;
}

/** Line breaks inside quoted fields: CR LF, LF or a lone CR each end one line. */
function lineBreaks(values: string[]): number {
  let n = 0;
  for (const v of values) {
    for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) n++;
    for (let i = v.indexOf('\r'); i !== -1; i = v.indexOf('\r', i + 1)) if (v.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

function csvErrorMessage(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed; the rest of the file could not be read';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_RECORD_CHARS} characters (probably an unclosed quote); the rest of the file could not be read`;
    default:
      return `unreadable CSV row: ${(message ?? code ?? 'parse error').replace(/\s+/g, ' ')}`;
  }
}
