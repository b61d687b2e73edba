import { BatchLoader } from './batch-loader';
import type { Customer, Product } from '../modules/catalog/catalog.types';
import type { Services } from '../services';

export interface Loaders {
  product: BatchLoader<number, Product>;
  customer: BatchLoader<number, Customer>;
}

export function createLoaders(services: Services, merchantId: number): Loaders {
  return {
    product: new BatchLoader((ids) => services.catalog.productsByIds(merchantId, ids)),
    customer: new BatchLoader((ids) => services.catalog.customersByIds(merchantId, ids)),
  };
}
