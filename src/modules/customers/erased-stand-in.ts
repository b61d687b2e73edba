// Erased customers' orders live on under an anonymous stand-in customer (see erasure.ts). They stay
// in the merchant's sales figures but out of every model's training data: SQL fragments for the
// training reads (`o` is the Order alias).
export const ERASED_STAND_IN = `'{"erased": true}'::jsonb`;

export const NOT_ERASED_STAND_IN = `NOT EXISTS (SELECT 1 FROM "Customer" sc WHERE sc.id = o."customerId" AND sc.attributes @> ${ERASED_STAND_IN})`;
