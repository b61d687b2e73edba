// Streaming JSONL: one JSON value per line, with its 1-based line number. Blank lines are
// skipped; a line that is not valid JSON comes out as an unreadable row.
import { StringDecoder } from 'node:string_decoder';

export type JsonlItem = { line: number; value: unknown } | { line: number; error: string };

/** Longest line we buffer before giving up on it (a file with no newlines is not JSONL). */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

export async function* readJsonl(chunks: AsyncIterable<Buffer>): AsyncGenerator<JsonlItem> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;
  let discarding = false; // inside an over-long line, skipping to its end
  let first = true;
  for await (const chunk of chunks) {
    let text = decoder.write(chunk);
    if (first && text) { text = text.replace(/^\uFEFF/, ''); first = false; }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      line++;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (discarding) { discarding = false; carry = ''; continue; }
      const item = parseLine(carry ? carry + piece : piece, line);
      carry = '';
      if (item) yield item;
    }
    if (!discarding) carry += text.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      yield { line: line + 1, error: `line is longer than ${MAX_LINE_CHARS} characters` };
      carry = '';
      discarding = true;
    }
  }
  carry += decoder.end();
  if (!discarding) {
    const item = parseLine(carry, line + 1);
    if (item) yield item;
  }
}

function parseLine(text: string, line: number): JsonlItem | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  try {
    return { line, value: JSON.parse(t) };
  } catch (e) {
    return { line, error: `invalid JSON: ${(e as Error).message}` };
  }
}
