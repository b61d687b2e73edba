// Runs the risk rules over the merchant's orders and stores new flags (re-runs add only new patterns).
import type { JobHandler } from '../job-handler';

export const detectRiskHandler: JobHandler<'detect-risk'> = async (p, ctx) => {
  await ctx.progress(0.1, 'Reading orders');
  const r = await ctx.services.risk.detect(p.merchantId);
  return { __typename: 'RiskDetectionResult', flags: r.flags, created: r.created, byKind: r.byKind } as never;
};
