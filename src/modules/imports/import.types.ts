// Shared import vocabulary (used by the job catalogue, the GraphQL layer and the import service).
export const IMPORT_KINDS = ['products', 'customers', 'orders', 'events'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
