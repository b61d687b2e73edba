// Product titles, descriptions and tags. Words are chosen from the product's hidden attributes — the
// latent style dimensions where it departs most from its category, its quality tier, its material —
// so a text model can recover part of what drives purchases (the point of content features for
// cold-start products), while leaving enough noise that text alone is not the whole truth.
import type { Rng } from './random';
import { LATENT_DIM, type Brand, type Category } from './types';
import { QUALITY_SENTENCES, QUALITY_WORDS, STYLE_SENTENCES, STYLE_WORDS } from './vocabulary';

export interface ProductText {
  title: string;
  description: string;
  tags: string;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function titleCase(s: string): string {
  return s.split(' ').map(capitalise).join(' ');
}

/** The (up to two) style words of the strongest departures from the category centroid. */
function styleWords(latent: Float64Array, offset: number, centroid: Float64Array, rng: Rng): string[] {
  const dev: { k: number; d: number }[] = [];
  for (let k = 0; k < LATENT_DIM; k++) {
    // Noise keeps the mapping from text to latent imperfect, as in real copywriting.
    const d = latent[offset + k] - centroid[k] + 0.15 * rng.normal();
    if (Math.abs(d) > 0.3) dev.push({ k, d });
  }
  dev.sort((a, b) => Math.abs(b.d) - Math.abs(a.d));
  return dev.slice(0, 2).map(({ k, d }) => STYLE_WORDS[k][d > 0 ? 0 : 1]);
}

export function productText(rng: Rng, category: Category, brand: Brand, quality: number,
  latent: Float64Array, offset: number): ProductText {
  const noun = rng.pick(category.nouns);
  const material = rng.pick(category.materials);
  const styles = styleWords(latent, offset, category.centroid, rng);
  const tier = quality > 0.6 ? 'high' : quality < -0.6 ? 'low' : 'mid';
  const qualityWord = tier === 'mid' || rng.bernoulli(0.35) ? '' : rng.pick(QUALITY_WORDS[tier]);

  const titleWords = [brand.name, qualityWord, styles[0] ?? '', noun].filter((w) => w.length > 0);
  const title = `${titleCase(titleWords.join(' '))}, ${titleCase(material)}`;

  const sentences = [
    `${capitalise(styles[0] ? `${styles[0]} ${noun}` : noun)} in ${material} from ${brand.name}.`,
    ...styles.map((s) => STYLE_SENTENCES[s]),
    QUALITY_SENTENCES[tier],
  ];
  if (category.consumable && rng.bernoulli(0.7)) sentences.push('Runs out fast: most buyers reorder it.');
  if (rng.bernoulli(0.3)) sentences.push(`Part of our ${category.leaf.toLowerCase()} range.`);

  const tags = [category.leaf.toLowerCase(), material, ...styles];
  if (tier === 'high') tags.push('premium');
  if (category.consumable) tags.push('consumable');
  return { title, description: sentences.join(' '), tags: [...new Set(tags)].join('|') };
}
