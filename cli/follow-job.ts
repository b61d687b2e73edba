// Starts a job and reports every update until it ends (used by the CLI and the demo).
import { JobSnapshot, JobUpdateSubscriber } from '../src/jobs/job-updates';
import type { JobRow } from '../src/modules/jobs/job.repository';
import { toSnapshot } from '../src/modules/jobs/job.service';
import type { Runtime } from '../src/runtime';

export const FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export async function followJob(rt: Runtime, merchantId: number, start: () => Promise<JobRow>, onUpdate: (s: JobSnapshot) => void): Promise<JobSnapshot> {
  const subscriber = new JobUpdateSubscriber(rt.redis.duplicate(), rt.config.queuePrefix);
  // Subscribe before starting, so no update is missed.
  const updates = await subscriber.subscribe(merchantId);
  try {
    const row = await start();
    let last: JobSnapshot = { ...toSnapshot(row), publishedAt: Date.now() };
    onUpdate(last);
    for await (const s of updates) {
      if (s.id !== row.id) continue;
      last = s;
      onUpdate(s);
      if (FINAL_STATES.has(s.state)) break;
    }
    return last;
  } finally {
    await updates.return?.();
    await subscriber.close();
  }
}
