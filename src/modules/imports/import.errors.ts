// Failures of a whole import, as opposed to row errors (which are reported in the result).
import type { ImportResult } from './import.model';

/**
 * The file is not an import file of the requested kind: not CSV/JSONL text, or its header
 * (or, for JSONL, its first objects) lacks a required column. Detected before anything is
 * written. Retrying cannot help: the job should fail at once.
 */
export class MalformedFileError extends Error {
  override name = 'MalformedFileError';
}

/**
 * `shouldStop()` returned true between two batches. Batches already written stay written
 * (import is idempotent: re-running the import completes it); `result` says what was done.
 */
export class ImportCancelledError extends Error {
  override name = 'ImportCancelledError';
  constructor(readonly result: ImportResult) {
    super(`Import cancelled after ${result.rowsWritten} rows written`);
  }
}
