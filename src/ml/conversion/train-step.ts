// One optimisation step of the conversion model. Customer and product-id vectors are gathered from
// their sparse tables and the content of the batch's distinct products is assembled in JS; tfjs
// computes the loss (purchase BCE + weighted engagement BCE) and its gradients w.r.t. the dense
// weights AND those gathered inputs; the dense weights take an Adam step in tfjs and the input
// gradients are routed to the table rows that produced them (lazy row-wise Adam), so a batch costs
// O(rows it touched), never O(table).
import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from '../random';
import { recentItemsForRows } from './history-state';
import { contentWidth, trainableVariables } from './network';
import { buildContextRows, type PreparedConversionData } from './prepare';
import { applyContentGradients, buildContent, type SparseTables } from './sparse-tables';
import { addTaste, applyTasteGradients } from './taste';

export interface StepOptions {
  batchSize: number;
  customerDropout: number;
  productDropout: number;
  engagementWeight: number;
  taste: boolean;
}

export class TrainingStep {
  private readonly vars: tf.Variable[];
  private readonly ctxBuf: Float32Array;
  private readonly uBuf: Float32Array;
  private readonly custRows: Int32Array;
  private readonly prodSlot: Int32Array;
  private readonly slotOfProduct: Int32Array;
  private readonly dim: number;
  private readonly contentW: number;
  private readonly ctxW: number;

  constructor(private readonly prep: PreparedConversionData, private readonly tables: SparseTables,
    private readonly productTower: tf.LayersModel, private readonly head: tf.LayersModel,
    private readonly optimizer: tf.Optimizer, private readonly rng: SeededRng, private readonly o: StepOptions) {
    this.vars = trainableVariables([productTower, head]);
    this.dim = tables.customer.dim;
    this.contentW = contentWidth({ contentDim: tables.category.dim });
    this.ctxW = (head.inputs[2].shape[1] as number);
    const b = o.batchSize;
    this.ctxBuf = new Float32Array(b * this.ctxW);
    this.uBuf = new Float32Array(b * this.dim);
    this.custRows = new Int32Array(b);
    this.prodSlot = new Int32Array(b);
    this.slotOfProduct = new Int32Array(prep.data.products.count).fill(-1);
  }

  /** Trains on exposure rows `rows` (at most batchSize); returns the batch's mean loss. */
  run(rows: Int32Array): number {
    const { prep, tables, rng, o, dim: d, contentW: cw, ctxW } = this;
    const { data, schema } = prep;
    const ex = data.exposures;
    const products = data.products;
    const m = rows.length;
    buildContextRows(schema, products, data.customers, ex, prep.history, rows, this.ctxBuf);
    // Customers (some through their cold-start bucket), and the batch's distinct products.
    const uniq: number[] = [];
    for (let k = 0; k < m; k++) {
      const i = rows[k];
      const c = ex.customer[i];
      this.custRows[k] = rng.next() < o.customerDropout ? tables.customer.coldRowOf(c) : tables.customer.rowOf(c);
      const p = ex.product[i];
      let s = this.slotOfProduct[p];
      if (s < 0) {
        s = uniq.length;
        this.slotOfProduct[p] = s;
        uniq.push(p);
      }
      this.prodSlot[k] = s;
    }
    for (const p of uniq) this.slotOfProduct[p] = -1;
    const nu = uniq.length;
    const custRows = this.custRows.subarray(0, m);
    tables.customer.gatherRows(custRows, this.uBuf);
    const recent = o.taste ? recentItemsForRows(prep.engaged, ex.customer, rows) : null;
    if (recent) addTaste(tables, products, recent, this.uBuf);
    // Hidden ids read the shared zero row: the tower learns to score from content alone.
    const pidRows = Int32Array.from(uniq, (p) => (rng.next() < o.productDropout ? tables.productId.known : tables.productId.rowOf(p)));
    const pidBuf = tables.productId.gatherRows(pidRows, new Float32Array(nu * d));
    const contentBuf = new Float32Array(nu * cw);
    buildContent(tables, products, uniq, contentBuf);
    const y = new Float32Array(m);
    const e = new Float32Array(m);
    const engaged = ex.engaged;
    for (let k = 0; k < m; k++) {
      y[k] = ex.label[rows[k]];
      e[k] = engaged ? engaged[rows[k]] : 0;
    }
    const engagementWeight = engaged ? o.engagementWeight : 0;

    // Results leave tidy through this closure: returning typed arrays would make tidy walk them.
    let loss = 0;
    let gU: Float32Array = new Float32Array(0);
    let gPid: Float32Array = new Float32Array(0);
    let gContent: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const uT = tf.tensor2d(this.uBuf.subarray(0, m * d), [m, d]);
      const pidT = tf.tensor2d(pidBuf, [nu, d]);
      const contentT = tf.tensor2d(contentBuf, [nu, cw]);
      const ctxT = tf.tensor2d(this.ctxBuf.subarray(0, m * ctxW), [m, ctxW]);
      const slotT = tf.tensor1d(this.prodSlot.subarray(0, m), 'int32');
      const yT = tf.tensor2d(y, [m, 1]);
      const eT = tf.tensor2d(e, [m, 1]);
      const lossFn = () => {
        const vU = this.productTower.apply([pidT, contentT], { training: true }) as tf.Tensor2D;
        const v = tf.gather(vU, slotT);
        const logits = this.head.apply([uT, v, ctxT], { training: true }) as tf.Tensor2D;
        const [lp, le] = tf.split(logits, 2, 1);
        let l = tf.losses.sigmoidCrossEntropy(yT, lp) as tf.Scalar;
        if (engagementWeight > 0) l = l.add(tf.losses.sigmoidCrossEntropy(eT, le).mul(engagementWeight)) as tf.Scalar;
        return l;
      };
      const { value, grads } = tf.engine().gradients(lossFn, [...this.vars, uT, pidT, contentT]);
      const nv = this.vars.length;
      this.optimizer.applyGradients(this.vars.map((v, k) => ({ name: v.name, tensor: grads[k] })));
      loss = value.dataSync()[0];
      gU = grads[nv].dataSync() as Float32Array;
      gPid = grads[nv + 1].dataSync() as Float32Array;
      gContent = grads[nv + 2].dataSync() as Float32Array;
    });
    tables.customer.applyGradients(custRows, gU);
    if (recent) applyTasteGradients(tables, products, recent, gU);
    applyProductIdGradients(tables, pidRows, gPid);
    applyContentGradients(tables, products, uniq, gContent);
    return loss;
  }
}

function applyProductIdGradients(tables: SparseTables, pidRows: Int32Array, grad: Float32Array): void {
  // Hidden (dropped-out) ids used the shared zero row: it never learns, so "no id" stays neutral.
  const keep: number[] = [];
  for (let k = 0; k < pidRows.length; k++) if (pidRows[k] !== tables.productId.known) keep.push(k);
  if (keep.length === pidRows.length) {
    tables.productId.applyGradients(pidRows, grad);
    return;
  }
  const d = tables.productId.dim;
  const rows = Int32Array.from(keep, (k) => pidRows[k]);
  const g = new Float32Array(keep.length * d);
  keep.forEach((k, j) => g.set(grad.subarray(k * d, k * d + d), j * d));
  tables.productId.applyGradients(rows, g);
}
