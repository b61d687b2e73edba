// The dense parts of the conversion model, as two tfjs LayersModels so each can be saved through an
// IOHandler and loaded with plain tf.loadLayersModel:
//
//   product tower:  [productId vec (D), content (CONTENT)] → v (D)
//                   v = id vec + Dense(D)([content, relu(Dense(contentHidden)(content))])
//   head:           [u (D), v (D), context (C)] → [purchase logit, engagement logit]
//                   MLP over [u, v, u ⊙ v, context]
//
// The sparse tables (customer and product ids, category, brand, tokens) live outside autograd
// (embedding-table.ts); their looked-up vectors are the towers' inputs.
import * as tf from '@tensorflow/tfjs';

export interface NetworkConfig {
  /** Width of customer and product vectors. */
  dim: number;
  /** Width of category / brand / token embeddings. */
  contentDim: number;
  contentHidden: number;
  hidden: number[];
  /** Width of the context input (contextDim()). */
  contextWidth: number;
  seed: number;
  /** Whether the customer vector adds the taste vector of recent engaged products (taste.ts). */
  taste?: boolean;
}

/** Content input width: [category, brand, token mean, price × category] embeddings + 3 scalars. */
export function contentWidth(cfg: Pick<NetworkConfig, 'contentDim'>): number {
  return 4 * cfg.contentDim + 3;
}

export function buildProductTower(cfg: NetworkConfig): tf.LayersModel {
  const idIn = tf.input({ shape: [cfg.dim], name: 'product_id_vec' });
  const contentIn = tf.input({ shape: [contentWidth(cfg)], name: 'content' });
  const hidden = tf.layers.dense({
    units: cfg.contentHidden, activation: 'relu', name: 'content_hidden',
    kernelInitializer: tf.initializers.heNormal({ seed: cfg.seed + 1 }),
  }).apply(contentIn) as tf.SymbolicTensor;
  const both = tf.layers.concatenate({ name: 'content_both' }).apply([contentIn, hidden]) as tf.SymbolicTensor;
  const proj = tf.layers.dense({
    units: cfg.dim, name: 'content_proj', kernelInitializer: tf.initializers.glorotNormal({ seed: cfg.seed + 2 }),
  }).apply(both) as tf.SymbolicTensor;
  const v = tf.layers.add({ name: 'product_vec' }).apply([idIn, proj]) as tf.SymbolicTensor;
  return tf.model({ inputs: [idIn, contentIn], outputs: v, name: 'product_tower' });
}

export function buildHead(cfg: NetworkConfig): tf.LayersModel {
  const uIn = tf.input({ shape: [cfg.dim], name: 'customer_vec' });
  const vIn = tf.input({ shape: [cfg.dim], name: 'product_vec' });
  const ctxIn = tf.input({ shape: [cfg.contextWidth], name: 'context' });
  const uv = tf.layers.multiply({ name: 'interaction' }).apply([uIn, vIn]) as tf.SymbolicTensor;
  let h = tf.layers.concatenate({ name: 'head_in' }).apply([uIn, vIn, uv, ctxIn]) as tf.SymbolicTensor;
  cfg.hidden.forEach((units, k) => {
    h = tf.layers.dense({
      units, activation: 'relu', name: `head_${k}`, kernelInitializer: tf.initializers.heNormal({ seed: cfg.seed + 10 + k }),
    }).apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers.dense({
    units: 2, name: 'logits', kernelInitializer: tf.initializers.glorotNormal({ seed: cfg.seed + 30 }),
    biasInitializer: tf.initializers.constant({ value: -3 }),
  }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: [uIn, vIn, ctxIn], outputs: out, name: 'conversion_head' });
}

/** The models' trainable variables (tf.Variable), in a stable order. */
export function trainableVariables(models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}
