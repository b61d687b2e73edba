import { toGlobalId } from '../../graphql/global-id';
import type { ModelVersionSummary } from './model-version.repository';
import type { ModelVersion } from './model.types';

export function modelVersionFromRow(r: ModelVersionSummary): ModelVersion {
  return {
    id: toGlobalId('ModelVersion', r.id), internalId: r.id, kind: r.kind, version: r.version, status: r.status,
    dataFrom: r.dataFrom, dataTo: r.dataTo, model: modelOf(r.params), params: r.params, featureSchema: r.featureSchema, metrics: r.metrics,
    backend: r.backend, createdAt: r.createdAt, promotedAt: r.promotedAt,
  };
}

/** `params.model` of versions whose kind has several models (customer value: bgnbd | calendar). */
export function modelOf(params: unknown): string | null {
  const m = (params as { model?: unknown } | null)?.model;
  return typeof m === 'string' ? m : null;
}
