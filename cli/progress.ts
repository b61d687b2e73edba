// Text progress bars for job updates: redrawn in place on a terminal, one line per 10% otherwise.
import type { JobSnapshot } from '../src/jobs/job-updates';

export function progressPrinter(label: string, out: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  return (s: JobSnapshot) => {
    const pct = Math.round(s.progress * 100);
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${label.padEnd(10)} ${bar} ${String(pct).padStart(3)}%  ${s.state.toLowerCase()}${s.message ? ` — ${s.message}` : ''}`;
    if (out.isTTY) {
      out.write(`\r${line.slice(0, (out.columns ?? 120) - 1).padEnd((out.columns ?? 120) - 1)}`);
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(s.state)) out.write('\n');
    } else {
      const decile = Math.floor(pct / 10);
      if (decile !== lastDecile || ['COMPLETED', 'FAILED', 'CANCELLED', 'RETRYING'].includes(s.state)) {
        lastDecile = decile;
        out.write(`${line}\n`);
      }
    }
  };
}
