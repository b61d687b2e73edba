-- AlterTable
ALTER TABLE "ExposureAllocation" ADD COLUMN     "isLongTail" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "observedImpressions" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "observedPurchases" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "posteriorAlpha" DOUBLE PRECISION NOT NULL DEFAULT 1,
ADD COLUMN     "posteriorBeta" DOUBLE PRECISION NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "ExposurePlan" ADD COLUMN     "activatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "archivedAt" TIMESTAMPTZ(3),
ADD COLUMN     "offPolicy" JSONB,
ADD COLUMN     "parentPlanId" INTEGER,
ADD COLUMN     "seed" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Launch" ADD COLUMN     "launchedAt" TIMESTAMPTZ(3),
ADD COLUMN     "objective" TEXT NOT NULL DEFAULT 'GROSS_MARGIN',
ADD COLUMN     "plannedAt" TIMESTAMPTZ(3),
ADD COLUMN     "recommendation" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "reviewedAt" TIMESTAMPTZ(3),
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "LaunchScenario" ADD COLUMN     "sellOutProbability" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RecommendationEvaluation" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "jobId" TEXT,
    "splitAt" TIMESTAMPTZ(3) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "results" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LaunchAudience" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "launchId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "segment" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "LaunchAudience_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecommendationEvaluation_merchantId_createdAt_idx" ON "RecommendationEvaluation"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "LaunchAudience_merchantId_launchId_rank_idx" ON "LaunchAudience"("merchantId", "launchId", "rank");

-- CreateIndex
CREATE UNIQUE INDEX "LaunchAudience_launchId_customerId_key" ON "LaunchAudience"("launchId", "customerId");

-- CreateIndex
CREATE INDEX "ExposurePlan_merchantId_status_idx" ON "ExposurePlan"("merchantId", "status");

-- AddForeignKey
ALTER TABLE "LaunchAudience" ADD CONSTRAINT "LaunchAudience_launchId_fkey" FOREIGN KEY ("launchId") REFERENCES "Launch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LaunchAudience" ADD CONSTRAINT "LaunchAudience_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
