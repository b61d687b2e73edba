/**
 * SQL condition (on an "Order" aliased `o`): the order is not in a flag the merchant CONFIRMED as
 * suspicious. Every model's training data applies it, so confirmed brushing never teaches a model.
 */
export const NOT_CONFIRMED_SUSPICIOUS = `NOT EXISTS (SELECT 1 FROM "RiskFlag" f WHERE f."merchantId" = o."merchantId" AND f.status = 'CONFIRMED' AND o.id = ANY(f."orderIds"))`;
