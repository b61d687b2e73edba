// Demand model artifacts: one Uint8Array in the shared container (../byte-container.ts).
//
// Header meta (JSON): { format: 'shelfwise.launch-demand', version, encoder, params, backend,
//   index: { maxIdf, rows }, tfjs: { network: { modelTopology, weightSpecs, format, generatedBy,
//   convertedBy } } } — with the binary section `tfjs.network` as weightData this is a standard tfjs
//   artifact (`tf.loadLayersModel(demandTfjsHandler(bytes))`).
// Sections:
//   tfjs.network                                       uint8   tfjs weightData
//   store.productId float64; store.units float32 (rows × W); store.logExposure, store.logRelPrice float32;
//   store.category int32; store.launchedAt float64
//   index.offsets int32, index.ids int32, index.weights float32, index.idf float32   (content embedding CSR)
import type * as tf from '@tensorflow/tfjs';
import { requireBackend } from '../backend';
import { ContainerReader, ContainerWriter } from '../byte-container';
import { loadFromMemory, memoryHandler, saveToMemory, type MemoryArtifacts } from '../memory-io';
import { AnalogIndex } from './analogs';
import { Encoder, type EncoderState } from './features';
import { LaunchDemandModel, type DemandModelParams } from './model';
import { LaunchStore } from './store';

export const DEMAND_ARTIFACT_FORMAT = 'shelfwise.launch-demand';
export const DEMAND_ARTIFACT_VERSION = 2; // 2: store.launchedAt (seasonal index)

interface DemandMeta {
  format: string;
  version: number;
  encoder: EncoderState;
  params: DemandModelParams;
  backend: string;
  index: { maxIdf: number; rows: number };
  tfjs: { network: Omit<MemoryArtifacts, 'weightData'> };
}

export async function serializeDemandModel(model: LaunchDemandModel): Promise<Uint8Array> {
  if (model.allow) throw new Error('a backtest view of the model cannot be serialised');
  const { weightData, ...entry } = await saveToMemory(model.network);
  const w = new ContainerWriter();
  const s = model.store;
  w.add('tfjs.network', new Uint8Array(weightData))
    .add('store.productId', s.rows.productId).add('store.units', s.rows.units).add('store.logExposure', s.rows.logExposure)
    .add('store.logRelPrice', s.rows.logRelPrice).add('store.category', s.rows.category)
    .add('store.launchedAt', s.rows.launchedAt)
    .add('index.offsets', s.index.data.offsets).add('index.ids', s.index.data.ids).add('index.weights', s.index.data.weights)
    .add('index.idf', s.index.data.idf);
  const meta: DemandMeta = {
    format: DEMAND_ARTIFACT_FORMAT, version: DEMAND_ARTIFACT_VERSION, encoder: model.encoder.state, params: model.params,
    backend: model.backend, index: { maxIdf: s.index.data.maxIdf, rows: s.index.data.rows }, tfjs: { network: entry },
  };
  return w.pack(DEMAND_ARTIFACT_FORMAT, meta);
}

function readMeta(bytes: Uint8Array): { reader: ContainerReader; meta: DemandMeta } {
  const reader = new ContainerReader(bytes);
  if (reader.kind !== DEMAND_ARTIFACT_FORMAT) throw new Error(`artifact is a ${reader.kind}, not a launch demand model`);
  const meta = reader.meta as DemandMeta;
  if (meta.version !== DEMAND_ARTIFACT_VERSION) throw new Error(`unsupported launch demand artifact version ${meta.version}`);
  return { reader, meta };
}

/** The stored network as a standard tfjs IOHandler. */
export function demandTfjsHandler(bytes: Uint8Array): tf.io.IOHandler {
  const { reader, meta } = readMeta(bytes);
  return memoryHandler({ ...meta.tfjs.network, weightData: reader.uint8('tfjs.network').buffer as ArrayBuffer });
}

/** Restores a model that forecasts identically to the one serialised. Needs initBackend() first. */
export async function loadDemandModel(bytes: Uint8Array): Promise<LaunchDemandModel> {
  requireBackend();
  const { reader, meta } = readMeta(bytes);
  const network = await loadFromMemory({ ...meta.tfjs.network, weightData: reader.uint8('tfjs.network').buffer as ArrayBuffer });
  const index = new AnalogIndex({
    offsets: reader.int32('index.offsets'), ids: reader.int32('index.ids'), weights: reader.float32('index.weights'),
    idf: reader.float32('index.idf'), maxIdf: meta.index.maxIdf, rows: meta.index.rows,
  });
  const store = new LaunchStore(meta.encoder.weeks, index, {
    productId: reader.float64('store.productId'), units: reader.float32('store.units'), logExposure: reader.float32('store.logExposure'),
    logRelPrice: reader.float32('store.logRelPrice'), category: reader.int32('store.category'),
    launchedAt: reader.float64('store.launchedAt'),
  });
  return new LaunchDemandModel(new Encoder(meta.encoder), network, store, meta.params, meta.backend);
}
