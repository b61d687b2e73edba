// A model's placement vocabulary: the base handles keep their codes, a merchant's own handles get
// codes of their own (most used first), anything else is "unknown". Planted signal: on the
// generator's small shop a fifth of the `home` impressions are moved to a merchant placement
// `flash_sale` whose exposures convert far more often; a model trained on that data must score
// `flash_sale` well above `home` for the same customer and products, and an unseen handle like
// neither of them in particular but within the range the model learned.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateShop } from '../../src/generator';
import { initBackend } from '../../src/ml/backend';
import { placementsOf, placementSlots } from '../../src/ml/conversion/context-features';
import { loadGeneratorDataset } from '../../src/ml/conversion/generator-dataset';
import type { ConversionModel } from '../../src/ml/conversion/model';
import { prepareConversionData } from '../../src/ml/conversion/prepare';
import { deserializeConversionModel, serializeConversionModel } from '../../src/ml/conversion/serialize';
import { trainConversionModel } from '../../src/ml/conversion/train';
import { PLACEMENT_HANDLES, placementCode, placementVocabulary } from '../../src/ml/conversion/types';
import { SeededRng } from '../../src/ml/random';

describe('placement vocabulary', () => {
  it('keeps the base codes and appends the most used merchant handles, ties by name, capped', () => {
    const v = placementVocabulary([['sidebar', 5], ['home', 100], ['flash_sale', 40], ['zz', 5], ['never', 0]], 2);
    expect(v.slice(0, PLACEMENT_HANDLES.length)).toEqual([...PLACEMENT_HANDLES]);
    expect(v.slice(PLACEMENT_HANDLES.length)).toEqual(['flash_sale', 'sidebar']);
    expect(placementCode('flash_sale', v)).toBe(PLACEMENT_HANDLES.length);
    expect(placementCode('zz', v)).toBe(v.length);
    expect(placementCode('home', v)).toBe(0);
    expect(placementCode('', v)).toBe(PLACEMENT_HANDLES.indexOf(''));
    expect(placementCode('flash_sale')).toBe(PLACEMENT_HANDLES.length); // base vocabulary: unknown
  });
});

describe('a merchant placement with a planted conversion effect', () => {
  let dir: string;
  let model: ConversionModel;

  beforeAll(async () => {
    await initBackend({ candidates: ['wasm'] });
    dir = mkdtempSync(path.join(os.tmpdir(), 'shelfwise-placements-'));
    await generateShop({ size: 'small', seed: 2, outDir: dir });
    const data = await loadGeneratorDataset(dir);
    const ex = data.exposures;
    const home = placementCode('home');
    const placements = placementVocabulary([['flash_sale', 1]]);
    const flash = placementCode('flash_sale', placements);
    const rng = new SeededRng(7);
    for (let i = 0; i < ex.count; i++) {
      if (ex.placement[i] !== home || rng.next() >= 0.2) continue;
      ex.placement[i] = flash;
      if (rng.next() < 0.15) ex.label[i] = 1;
    }
    const prep = prepareConversionData({ ...data, placements });
    expect(placementSlots(prep.schema)).toBe(PLACEMENT_HANDLES.length + 2);
    model = await trainConversionModel(prep, { seed: 1, maxEpochs: 2 });
  }, 180_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    model?.dispose();
  });

  it('learns the placement and keeps its vocabulary through a save and reload', async () => {
    const back = await deserializeConversionModel(await serializeConversionModel(model));
    try {
      expect(placementsOf(back.schema)).toEqual([...PLACEMENT_HANDLES, 'flash_sale']);
      const at = Date.parse(back.metadata.dataWindow.to);
      const products = Array.from({ length: 40 }, (_, k) => k * 3);
      const mean = (placement: string) => {
        let s = 0;
        for (const c of [1, 4, 9, 16, 25, 36]) for (const p of back.scoreCustomer(c, products, { time: at, placement, position: 0 })) s += p;
        return s / (6 * products.length);
      };
      const flash = mean('flash_sale');
      const home = mean('home');
      // Planted: +15 percentage points of positives on flash_sale rows against a base rate of a few %.
      expect(flash).toBeGreaterThan(home * 2);
      const unknown = mean('a_handle_never_seen');
      expect(Number.isFinite(unknown)).toBe(true);
      expect(unknown).toBeLessThan(flash);
    } finally {
      back.dispose();
    }
  });
});
