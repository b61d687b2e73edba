// Risk rules over order data (pure: typed arrays in, flags out). See each rule's file for its contract.
export { detectBrushingBursts, poissonTailMinusLog10, type BrushingOptions } from './brushing';
export { detectOrderCancelCycles, type OrderCancelOptions, type Orders } from './order-cancel';
export { detectQuantityOutliers, type QuantityOutlierOptions } from './quantity-outliers';
export { detectSharedAttributes, type SharedAttributeOptions } from './shared-attributes';
export { riskScore, type OrderLines, type RiskFlag, type RiskKind } from './types';
export { detectRepeatOrders, type RepeatOrderOptions } from './repeat-orders';
