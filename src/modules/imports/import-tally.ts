// Counters and the error list of one import.
import type { BatchOutcome } from './batch-outcome';
import { ImportFormat, ImportKind, ImportProgress, ImportResult, ImportRowError, MAX_REPORTED_ERRORS } from './import.model';

export class ImportTally {
  rowsRead = 0;
  rowsWritten = 0;
  rowsFailed = 0;
  errorCount = 0;
  latest: string | undefined;
  private readonly errors: ImportRowError[] = [];
  private maxListedLine = -Infinity;

  constructor(private readonly kind: ImportKind, private readonly format: ImportFormat) {}

  fail(error: ImportRowError, rows = 1): void {
    this.rowsFailed += rows;
    this.errorCount++;
    const e = error.field === undefined ? { line: error.line, message: error.message } : { ...error };
    if (this.errors.length < MAX_REPORTED_ERRORS) {
      this.errors.push(e);
      if (e.line > this.maxListedLine) this.maxListedLine = e.line;
    } else if (e.line < this.maxListedLine) {
      // Write-time errors arrive after later lines' validation errors: keep the earliest lines.
      let at = 0;
      for (let i = 1; i < this.errors.length; i++) if (this.errors[i].line > this.errors[at].line) at = i;
      this.errors[at] = e;
      this.maxListedLine = this.errors.reduce((m, x) => Math.max(m, x.line), -Infinity);
    }
  }

  add(outcome: BatchOutcome): void {
    this.rowsWritten += outcome.written;
    for (const { rows, ...e } of outcome.errors) this.fail(e, rows);
    if (outcome.latest !== undefined && (this.latest === undefined || outcome.latest > this.latest)) this.latest = outcome.latest;
  }

  progress(bytesRead: number): ImportProgress {
    return { bytesRead, rowsRead: this.rowsRead, rowsWritten: this.rowsWritten, rowsFailed: this.rowsFailed };
  }

  result(bytesRead: number): ImportResult {
    const errors = [...this.errors].sort((a, b) => a.line - b.line);
    return { kind: this.kind, format: this.format, ...this.progress(bytesRead), errors, errorCount: this.errorCount };
  }
}
