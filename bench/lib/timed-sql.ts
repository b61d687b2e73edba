// A Database whose raw-SQL runner records the time spent per statement kind, so a benchmark can
// say which statements dominate an import. Prisma calls pass through untimed.
import { performance } from 'node:perf_hooks';
import type { Database } from '../../src/db/database';

export interface StatementTime { label: string; calls: number; ms: number }

export class SqlTimer {
  private readonly byLabel = new Map<string, StatementTime>();

  wrap(db: Database): Database {
    const record = (text: string, t0: number) => {
      const label = statementLabel(text);
      const s = this.byLabel.get(label) ?? { label, calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - t0;
      this.byLabel.set(label, s);
    };
    return {
      ...db,
      sql: {
        async query(text, params) {
          const t0 = performance.now();
          try { return await db.sql.query(text, params); } finally { record(text, t0); }
        },
        async exec(text) {
          const t0 = performance.now();
          try { await db.sql.exec(text); } finally { record(text, t0); }
        },
      },
    };
  }

  reset(): void { this.byLabel.clear(); }

  /** Most time first. */
  results(): StatementTime[] {
    return [...this.byLabel.values()].sort((a, b) => b.ms - a.ms);
  }
}

/** `INSERT "Event" … ON CONFLICT`, `SELECT FROM "Product"`, … */
export function statementLabel(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const conflict = / ON CONFLICT .*DO NOTHING/i.test(s) ? ' … ON CONFLICT DO NOTHING' : / ON CONFLICT /i.test(s) ? ' … ON CONFLICT DO UPDATE' : '';
  let m: RegExpExecArray | null;
  if ((m = /^INSERT INTO ("[^"]+"|\w+)/i.exec(s))) return `INSERT ${m[1]}${conflict}`;
  if ((m = /^UPDATE ("[^"]+"|\w+)/i.exec(s))) return `UPDATE ${m[1]}`;
  if ((m = /^DELETE FROM ("[^"]+"|\w+)/i.exec(s))) return `DELETE ${m[1]}`;
  if ((m = /^SELECT .*? FROM ("[^"]+"|\w+)/i.exec(s))) return `SELECT FROM ${m[1]}`;
  if (/^WITH /i.test(s)) {
    m = /\b(INSERT INTO|UPDATE|DELETE FROM) ("[^"]+"|\w+)/i.exec(s);
    return m ? `WITH … ${m[1].split(' ')[0].toUpperCase()} ${m[2]}${conflict}` : `WITH … SELECT`;
  }
  return s.slice(0, 40);
}
