// Promotion's verdict when a stored metric is not a number: a backtest whose held-out launches sold
// nothing has a NaN weighted quantile loss, which JSON stores as null. That version used to become
// active and then crash every later verdict (null.toFixed) — promotion, even forced, failed for good.
import { ModelService } from '../../src/modules/models/model.service';
import type { ModelVersionSummary } from '../../src/modules/models/model-version.repository';

const service = new ModelService(undefined as never); // judge reads no repository
const judge = service.judge.bind(service);
const version = (id: number, value: number | null, champion?: number | null): ModelVersionSummary => ({
  id, version: id,
  metrics: {
    primary: { name: 'wqlMean', value, higherIsBetter: false },
    ...(champion !== undefined ? { champion: { versionId: 1, primary: { name: 'wqlMean', value: champion, higherIsBetter: false } } } : {}),
  },
}) as unknown as ModelVersionSummary;

describe('ModelService.judge', () => {
  it('compares finite metrics, lower better for a loss', () => {
    expect(judge(version(2, 0.5), version(1, 0.6)).better).toBe(true);
    expect(judge(version(2, 0.7), version(1, 0.6))).toMatchObject({ better: false, reason: expect.stringMatching(/lower is better/) });
  });

  it('lets a candidate beat an active version whose metric is null, and says why', () => {
    expect(judge(version(2, 0.5), version(1, null))).toEqual({ better: true, reason: 'Active version 1 has no usable primary metric' });
  });

  it('does not promote a candidate without a usable metric over an active one, but does as the first version', () => {
    expect(judge(version(2, null), version(1, 0.6))).toEqual({ better: false, reason: 'Version 2 has no usable wqlMean' });
    expect(judge(version(1, null), null)).toEqual({ better: true, reason: 'Version 1 has no usable wqlMean; promoted as the first version' });
  });

  it('falls back to the active version\'s own metric when the same-split champion score is null', () => {
    expect(judge(version(2, 0.5, null), version(1, 0.6)).better).toBe(true);
    expect(judge(version(2, 0.5, 0.4), version(1, 0.6)).better).toBe(false);
  });
});
