import path from 'node:path';
import { config } from '../src/config/config';
import { generateShop, ShopSize } from '../src/generator';

export const SIZES: ShopSize[] = ['tiny', 'small', 'demo', 'medium', 'large'];

export async function runGenerate(opts: { size?: string; seed?: string; out?: string }): Promise<number> {
  const size = (opts.size ?? 'small') as ShopSize;
  if (!SIZES.includes(size)) throw new Error(`--size must be one of ${SIZES.join(', ')}`);
  const seed = Number(opts.seed ?? 1);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const outDir = path.resolve(opts.out ?? path.join(config().dataDir, 'shops', `${size}-${seed}`));
  const summary = await generateShop({ size, seed, outDir });
  console.log(`Generated a ${size} shop (seed ${seed}) in ${outDir}`);
  console.log(JSON.stringify(summary, null, 2));
  return 0;
}
