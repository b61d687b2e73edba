import { toGlobalId } from '../../graphql/global-id';
import type { ModelVersionSummary } from './model-version.repository';
import type { ModelVersion } from './model.types';

export function modelVersionFromRow(r: ModelVersionSummary): ModelVersion {
  return {
    id: toGlobalId('ModelVersion', r.id), internalId: r.id, kind: r.kind, version: r.version, status: r.status,
    dataFrom: r.dataFrom, dataTo: r.dataTo, params: r.params, featureSchema: r.featureSchema, metrics: r.metrics,
    backend: r.backend, createdAt: r.createdAt, promotedAt: r.promotedAt,
  };
}
