// tfjs models to and from in-memory artifacts through the standard IOHandler interface, so a saved
// model is { modelTopology, weightSpecs, weightData } — exactly what `tf.loadLayersModel(handler)`
// reads — and can be stored anywhere (a database row, an object store), not only on local disk.
import * as tf from '@tensorflow/tfjs';

export interface MemoryArtifacts {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** Saves a LayersModel through a capturing IOHandler. */
export async function saveToMemory(model: tf.LayersModel): Promise<MemoryArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    captured = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = captured as tf.io.ModelArtifacts | null;
  if (!a || !a.modelTopology || !a.weightSpecs || !a.weightData) throw new Error('tfjs save produced no artifacts');
  return {
    modelTopology: a.modelTopology as object,
    weightSpecs: a.weightSpecs,
    weightData: tf.io.CompositeArrayBuffer.join(a.weightData),
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
  };
}

/** The IOHandler that `tf.loadLayersModel` reads a stored model from. */
export function memoryHandler(a: MemoryArtifacts): tf.io.IOHandler {
  return tf.io.fromMemory({
    modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData, format: a.format,
    generatedBy: a.generatedBy, convertedBy: a.convertedBy,
  });
}

export async function loadFromMemory(a: MemoryArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(memoryHandler(a));
}
