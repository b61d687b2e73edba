// Conversion model artifacts: one Uint8Array (see ../byte-container.ts for the container layout).
//
// Header meta (JSON): { format: 'shelfwise.conversion', version, featureSchema, config, schema,
//   calibrator, metadata, vocab: { categories, brands, segments, countries }, tfjs: { productTower,
//   head } } where each tfjs entry is { modelTopology, weightSpecs, format, generatedBy, convertedBy }
//   and its weightData is the binary section `tfjs.<name>` — together a standard tfjs model artifact
//   that `tf.loadLayersModel(conversionTfjsHandlers(bytes).head)` loads.
// Sections:
//   tfjs.productTower, tfjs.head                  uint8   tfjs weightData
//   table.<TABLE_NAMES entry>                     float32 rows × dim (shapes in meta.tables)
//   products.{category,brand,tokens}              int32
//   products.logRelPrice                          float32
//   products.{launchedAt,createdAt,categoryMedianPrice} float64
//   customers.{segment,country}                   int32;  customers.createdAt float64
//   productBucket                                 uint8
//   history.{productBuys,productExposures,productAt,productTotals,categorySelf,categoryEngaged} float64
//   history.<counter>.keys float64, history.<counter>.values float64 (one pair per COUNTER_NAMES entry)
//   history.recent.{customers float64, offsets int32, products int32}  latest engaged products (CSR)
import type * as tf from '@tensorflow/tfjs';
import { ContainerReader, ContainerWriter } from '../byte-container';
import type { Calibrator } from '../calibration';
import { loadFromMemory, memoryHandler, saveToMemory, type MemoryArtifacts } from '../memory-io';
import { placementsOf, type ContextSchema } from './context-features';
import { COUNTER_NAMES, HISTORY_FEATURES, HistoryState, type CounterName } from './history-state';
import { ConversionModel, type ConversionModelMetadata } from './model';
import type { NetworkConfig } from './network';
import { createTables, TABLE_NAMES, type SparseTables } from './sparse-tables';

export const CONVERSION_ARTIFACT_FORMAT = 'shelfwise.conversion';
export const CONVERSION_ARTIFACT_VERSION = 1;

/** What a consumer needs to know to feed the model (also stored on the ModelVersion row). */
export interface ConversionFeatureSchema {
  artifactVersion: number;
  backend: string;
  dim: number;
  contentDim: number;
  hidden: number[];
  contextWidth: number;
  historyFeatures: readonly string[];
  tokensPerProduct: number;
  tokenBuckets: number;
  customers: number;
  customerHashBuckets: number;
  products: number;
  categories: number;
  brands: number;
  segments: number;
  countries: number;
  utcOffsetMinutes: number;
  /** Placement handles with their own code (the rest share one). */
  placements: readonly string[];
  labelWindowDays: number;
}

interface TfjsEntry extends Omit<MemoryArtifacts, 'weightData'> {}

interface ConversionMeta {
  format: string;
  version: number;
  featureSchema: ConversionFeatureSchema;
  config: NetworkConfig;
  schema: ContextSchema;
  calibrator: Calibrator;
  metadata: ConversionModelMetadata;
  vocab: { categories: string[]; brands: string[]; segments: string[]; countries: string[] };
  tables: Record<keyof SparseTables, { known: number; dim: number; hashBuckets: number }>;
  tfjs: { productTower: TfjsEntry; head: TfjsEntry };
}

const TABLES = TABLE_NAMES;

export function featureSchemaOf(model: ConversionModel): ConversionFeatureSchema {
  return {
    artifactVersion: CONVERSION_ARTIFACT_VERSION,
    backend: model.metadata.backend,
    dim: model.config.dim,
    contentDim: model.config.contentDim,
    hidden: model.config.hidden,
    contextWidth: model.config.contextWidth,
    historyFeatures: HISTORY_FEATURES,
    tokensPerProduct: model.products.tokensPerProduct,
    tokenBuckets: model.products.tokenBuckets,
    customers: model.customers.count,
    customerHashBuckets: model.tables.customer.hashBuckets,
    products: model.products.count,
    categories: model.products.categories.length,
    brands: model.products.brands.length,
    segments: model.schema.segments,
    countries: model.schema.countries,
    utcOffsetMinutes: model.schema.utcOffsetMinutes,
    placements: placementsOf(model.schema),
    labelWindowDays: model.metadata.labelWindowDays,
  };
}

function splitArtifacts(a: MemoryArtifacts): { entry: TfjsEntry; weights: Uint8Array } {
  const { weightData, ...entry } = a;
  return { entry, weights: new Uint8Array(weightData) };
}

export async function serializeConversionModel(model: ConversionModel): Promise<Uint8Array> {
  const w = new ContainerWriter();
  const tower = splitArtifacts(await saveToMemory(model.productTower));
  const head = splitArtifacts(await saveToMemory(model.head));
  w.add('tfjs.productTower', tower.weights).add('tfjs.head', head.weights);
  for (const t of TABLES) w.add(`table.${t}`, model.tables[t].weights);
  const p = model.products;
  w.add('products.category', p.category).add('products.brand', p.brand).add('products.tokens', p.tokens)
    .add('products.logRelPrice', p.logRelPrice).add('products.launchedAt', p.launchedAt).add('products.createdAt', p.createdAt)
    .add('products.categoryMedianPrice', model.categoryMedianPrice);
  const c = model.customers;
  w.add('customers.segment', c.segment).add('customers.country', c.country).add('customers.createdAt', c.createdAt);
  w.add('productBucket', model.productBucket);
  const h = model.history.snapshot();
  w.add('history.productBuys', h.productBuys).add('history.productExposures', h.productExposures)
    .add('history.productAt', h.productAt).add('history.productTotals', h.productTotals).add('history.categorySelf', h.categorySelf).add('history.categoryEngaged', h.categoryEngaged);
  for (const name of COUNTER_NAMES) {
    const m = h.counters[name];
    const keys = new Float64Array(m.size);
    const values = new Float64Array(m.size);
    let k = 0;
    for (const [key, v] of m) {
      keys[k] = key;
      values[k++] = v;
    }
    w.add(`history.${name}.keys`, keys).add(`history.${name}.values`, values);
  }
  const recentCustomers = new Float64Array(h.recentEngaged.size);
  const recentOffsets = new Int32Array(h.recentEngaged.size + 1);
  let r = 0;
  for (const [customer, list] of h.recentEngaged) {
    recentCustomers[r] = customer;
    recentOffsets[r + 1] = recentOffsets[r] + list.length;
    r++;
  }
  const recentProducts = new Int32Array(recentOffsets[r]);
  r = 0;
  for (const list of h.recentEngaged.values()) recentProducts.set(list, recentOffsets[r++]);
  w.add('history.recent.customers', recentCustomers).add('history.recent.offsets', recentOffsets).add('history.recent.products', recentProducts);
  const meta: ConversionMeta = {
    format: CONVERSION_ARTIFACT_FORMAT,
    version: CONVERSION_ARTIFACT_VERSION,
    featureSchema: featureSchemaOf(model),
    config: model.config,
    schema: model.schema,
    calibrator: model.calibrator,
    metadata: model.metadata,
    vocab: { categories: p.categories, brands: p.brands, segments: c.segments, countries: c.countries },
    tables: Object.fromEntries(TABLES.map((t) => [t, model.tables[t].shape()])) as ConversionMeta['tables'],
    tfjs: { productTower: tower.entry, head: head.entry },
  };
  return w.pack(CONVERSION_ARTIFACT_FORMAT, meta);
}

function readMeta(bytes: Uint8Array): { reader: ContainerReader; meta: ConversionMeta } {
  const reader = new ContainerReader(bytes);
  if (reader.kind !== CONVERSION_ARTIFACT_FORMAT) throw new Error(`artifact is a ${reader.kind}, not a conversion model`);
  const meta = reader.meta as ConversionMeta;
  if (meta.version !== CONVERSION_ARTIFACT_VERSION) throw new Error(`unsupported conversion artifact version ${meta.version}`);
  return { reader, meta };
}

/** The stored tfjs models as standard IOHandlers: `await tf.loadLayersModel(handlers.head)`. */
export function conversionTfjsHandlers(bytes: Uint8Array): { productTower: tf.io.IOHandler; head: tf.io.IOHandler } {
  const { reader, meta } = readMeta(bytes);
  const handler = (name: 'productTower' | 'head') =>
    memoryHandler({ ...meta.tfjs[name], weightData: reader.uint8(`tfjs.${name}`).buffer as ArrayBuffer });
  return { productTower: handler('productTower'), head: handler('head') };
}

/** Just the header (feature schema, metrics, params) without loading tensors. */
export function readConversionArtifactMeta(bytes: Uint8Array): Pick<ConversionMeta, 'featureSchema' | 'metadata' | 'calibrator'> {
  const { meta } = readMeta(bytes);
  return { featureSchema: meta.featureSchema, metadata: meta.metadata, calibrator: meta.calibrator };
}

/** Restores a model that predicts identically to the one serialised. Needs initBackend() first. */
export async function deserializeConversionModel(bytes: Uint8Array): Promise<ConversionModel> {
  const { reader, meta } = readMeta(bytes);
  const load = (name: 'productTower' | 'head') =>
    loadFromMemory({ ...meta.tfjs[name], weightData: reader.uint8(`tfjs.${name}`).buffer as ArrayBuffer });
  const [productTower, head] = await Promise.all([load('productTower'), load('head')]);
  const weights = Object.fromEntries(TABLES.map((t) => [t, reader.float32(`table.${t}`)])) as Record<keyof SparseTables, Float32Array>;
  const shape = meta.tables;
  const tables = createTables({
    dim: meta.config.dim, contentDim: meta.config.contentDim, customers: shape.customer.known, products: shape.productId.known,
    categories: shape.category.known, brands: shape.brand.known, tokenBuckets: shape.token.known,
    customerHashBuckets: shape.customer.hashBuckets,
  }, { seed: 0, idLearningRate: 0, contentLearningRate: 0, customerL2: 0, productL2: 0, contentL2: 0 }, weights);
  const categoryMedianPrice = reader.float64('products.categoryMedianPrice');
  const category = reader.int32('products.category');
  const products = {
    count: category.length, category, brand: reader.int32('products.brand'), logRelPrice: reader.float32('products.logRelPrice'),
    tokens: reader.int32('products.tokens'), tokensPerProduct: meta.featureSchema.tokensPerProduct,
    tokenBuckets: meta.featureSchema.tokenBuckets, launchedAt: reader.float64('products.launchedAt'),
    createdAt: reader.float64('products.createdAt'), categories: meta.vocab.categories, brands: meta.vocab.brands,
    categoryMedianPrice,
  };
  const segment = reader.int32('customers.segment');
  const customers = {
    count: segment.length, segment, country: reader.int32('customers.country'), createdAt: reader.float64('customers.createdAt'),
    segments: meta.vocab.segments, countries: meta.vocab.countries,
  };
  const counters = {} as Record<CounterName, Map<number, number>>;
  for (const name of COUNTER_NAMES) {
    const keys = reader.float64(`history.${name}.keys`);
    const values = reader.float64(`history.${name}.values`);
    const m = new Map<number, number>();
    for (let k = 0; k < keys.length; k++) m.set(keys[k], values[k]);
    counters[name] = m;
  }
  const recentEngaged = new Map<number, number[]>();
  const rc = reader.float64('history.recent.customers');
  const ro = reader.int32('history.recent.offsets');
  const rp = reader.int32('history.recent.products');
  for (let k = 0; k < rc.length; k++) recentEngaged.set(rc[k], Array.from(rp.subarray(ro[k], ro[k + 1])));
  const history = HistoryState.fromSnapshot({
    productBuys: reader.float64('history.productBuys'), productExposures: reader.float64('history.productExposures'),
    productAt: reader.float64('history.productAt'), productTotals: reader.float64('history.productTotals'), categorySelf: reader.float64('history.categorySelf'),
    categoryEngaged: reader.float64('history.categoryEngaged'), counters, recentEngaged,
  }, category);
  const model = new ConversionModel({
    config: meta.config, schema: meta.schema, tables, productTower, head, calibrator: meta.calibrator, products, customers,
    history, productBucket: reader.uint8('productBucket'), categoryMedianPrice, metadata: meta.metadata,
  });
  return model;
}
