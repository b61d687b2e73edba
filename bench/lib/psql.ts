// Runs one psql command (e.g. a client-side `\copy`) as a child process and times it end to end.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export async function psql(url: string, command: string): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', (err) => reject(new Error(`cannot run psql (is it installed and on PATH?): ${err.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve({ ms: performance.now() - t0, stdout });
      else reject(new Error(`psql exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** A single-quoted psql/SQL literal. */
export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
