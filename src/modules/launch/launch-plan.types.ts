// Shapes stored in JSON columns by planLaunch: LaunchScenario.params and Launch.recommendation.
export interface StoredDriver { factor: string; from: string; to: string; effect: number }

export interface StoredScenarioProduct {
  productId: number; price: number; expectedUnits: number; expectedRevenue: number; expectedMargin: number;
  sellOutProbability: number; fallback: string;
}

/** LaunchScenario.params */
export interface StoredScenarioParams {
  priceMultiplier: number; discount: number; promoWeeks: number; launchDate: string; placement: string; weeklyImpressions: number;
  objectiveValue: number; exposureCost?: number; drivers: StoredDriver[]; products: StoredScenarioProduct[];
}

export interface StoredSegment { segment: string; customers: number; expectedBuyers: number; meanProbability: number; inAudience: number }

export interface StoredAudience {
  available: boolean; message: string; customersScored: number; modelVersionId: number | null;
  customerValueSegments: boolean; segments: StoredSegment[];
}

/** Launch.recommendation */
export interface StoredRecommendation {
  modelVersionId: number;
  objective: string;
  horizonWeeks: number;
  scenariosEvaluated: number;
  scenariosStored: number;
  plannedAt: string;
  sellOutProbability: number;
  drivers: StoredDriver[];
  products: Array<{ productId: number; fallback: string; analogs: Array<{ productId: number; similarity: number; weeklyUnits: number[] }> }>;
  audience: StoredAudience;
  /** Cautions for the merchant: extrapolated budgets, likely sell-outs, fallbacks. */
  notes?: string[];
  /** Written by reviewLaunch: the performance at review time. */
  review?: { reviewedAt: string; wape: number | null; actualUnits: number; forecastUnits: number; weeksElapsed: number; alerts: number };
}
