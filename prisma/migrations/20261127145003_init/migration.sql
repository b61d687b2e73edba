-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('ADMIN', 'STOREFRONT');

-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('DRAFT', 'ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PLACED', 'CANCELLED', 'RETURNED');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('IMPRESSION', 'VIEW', 'CLICK', 'ADD_TO_CART', 'PURCHASE');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'RETRYING');

-- CreateEnum
CREATE TYPE "ModelKind" AS ENUM ('CONVERSION', 'DEMAND', 'CUSTOMER_VALUE');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('TRAINING', 'CANDIDATE', 'ACTIVE', 'RETIRED', 'FAILED');

-- CreateEnum
CREATE TYPE "ExposurePlanStatus" AS ENUM ('DRAFT', 'APPROVED', 'ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "LaunchStatus" AS ENUM ('DRAFT', 'PLANNED', 'LAUNCHED', 'REVIEWED');

-- CreateTable
CREATE TABLE "Merchant" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "dataNow" TIMESTAMPTZ(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Merchant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scope" "ApiKeyScope" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "category" TEXT,
    "brand" TEXT,
    "price" DECIMAL(12,2) NOT NULL,
    "cost" DECIMAL(12,2),
    "stock" INTEGER,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ProductStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "launchedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductStat" (
    "productId" INTEGER NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "units90d" INTEGER NOT NULL DEFAULT 0,
    "revenue90d" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "cumShare" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "isLongTail" BOOLEAN NOT NULL DEFAULT true,
    "asOf" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ProductStat_pkey" PRIMARY KEY ("productId")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "customerId" INTEGER,
    "status" "OrderStatus" NOT NULL DEFAULT 'PLACED',
    "orderedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "orderId" INTEGER NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPrice" DECIMAL(12,2) NOT NULL,
    "orderedAt" TIMESTAMPTZ(3) NOT NULL,
    "returnOfId" INTEGER,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Placement" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT,
    "slots" INTEGER NOT NULL DEFAULT 10,
    "expectedDailyImpressions" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Placement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" BIGSERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "customerId" INTEGER,
    "sessionId" TEXT,
    "productId" INTEGER NOT NULL,
    "type" "EventType" NOT NULL,
    "placementId" INTEGER,
    "position" INTEGER,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExposurePlan" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "placementId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ExposurePlanStatus" NOT NULL DEFAULT 'DRAFT',
    "input" JSONB NOT NULL,
    "totals" JSONB NOT NULL DEFAULT '{}',
    "curve" JSONB NOT NULL DEFAULT '[]',
    "jobId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ExposurePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExposureAllocation" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "planId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "impressions" INTEGER NOT NULL,
    "expectedClicks" DOUBLE PRECISION NOT NULL,
    "expectedConversions" DOUBLE PRECISION NOT NULL,
    "conversionsLow" DOUBLE PRECISION NOT NULL,
    "conversionsHigh" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "ExposureAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Launch" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" "LaunchStatus" NOT NULL DEFAULT 'DRAFT',
    "startDate" TIMESTAMPTZ(3) NOT NULL,
    "endDate" TIMESTAMPTZ(3) NOT NULL,
    "config" JSONB NOT NULL,
    "productIds" INTEGER[],
    "chosenScenarioId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Launch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LaunchScenario" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "launchId" INTEGER NOT NULL,
    "jobId" TEXT,
    "params" JSONB NOT NULL,
    "expectedUnits" DOUBLE PRECISION NOT NULL,
    "expectedRevenue" DOUBLE PRECISION NOT NULL,
    "expectedMargin" DOUBLE PRECISION NOT NULL,
    "rank" INTEGER NOT NULL,
    "recommended" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LaunchScenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Forecast" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "productId" INTEGER,
    "scenarioId" INTEGER,
    "modelVersionId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Forecast_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForecastPoint" (
    "id" SERIAL NOT NULL,
    "forecastId" INTEGER NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "p10" DOUBLE PRECISION NOT NULL,
    "p50" DOUBLE PRECISION NOT NULL,
    "p90" DOUBLE PRECISION NOT NULL,
    "mean" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ForecastPoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversionPrediction" (
    "id" BIGSERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "placementId" INTEGER,
    "probability" DOUBLE PRECISION NOT NULL,
    "scoredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversionPrediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerValue" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "expectedPurchases" DOUBLE PRECISION NOT NULL,
    "expectedSpend" DOUBLE PRECISION NOT NULL,
    "pAlive" DOUBLE PRECISION NOT NULL,
    "churnRisk" DOUBLE PRECISION NOT NULL,
    "propensity" DOUBLE PRECISION,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerValue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskFlag" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "orderId" INTEGER,
    "customerId" INTEGER,
    "kind" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RiskFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" SERIAL NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "kind" "ModelKind" NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ModelStatus" NOT NULL DEFAULT 'TRAINING',
    "dataFrom" TIMESTAMPTZ(3),
    "dataTo" TIMESTAMPTZ(3),
    "params" JSONB NOT NULL DEFAULT '{}',
    "featureSchema" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "backend" TEXT,
    "artifact" BYTEA,
    "jobId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promotedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'PENDING',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "error" TEXT,
    "input" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StagedUpload" (
    "id" TEXT NOT NULL,
    "merchantId" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT,
    "token" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "completedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StagedUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StagedUploadChunk" (
    "uploadId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "StagedUploadChunk_pkey" PRIMARY KEY ("uploadId","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_merchantId_idx" ON "ApiKey"("merchantId");

-- CreateIndex
CREATE INDEX "Product_merchantId_category_idx" ON "Product"("merchantId", "category");

-- CreateIndex
CREATE INDEX "Product_merchantId_createdAt_idx" ON "Product"("merchantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Product_merchantId_externalId_key" ON "Product"("merchantId", "externalId");

-- CreateIndex
CREATE INDEX "ProductStat_merchantId_units90d_idx" ON "ProductStat"("merchantId", "units90d");

-- CreateIndex
CREATE INDEX "Customer_merchantId_createdAt_idx" ON "Customer"("merchantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_merchantId_externalId_key" ON "Customer"("merchantId", "externalId");

-- CreateIndex
CREATE INDEX "Order_merchantId_orderedAt_idx" ON "Order"("merchantId", "orderedAt");

-- CreateIndex
CREATE INDEX "Order_merchantId_customerId_orderedAt_idx" ON "Order"("merchantId", "customerId", "orderedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_merchantId_externalId_key" ON "Order"("merchantId", "externalId");

-- CreateIndex
CREATE INDEX "OrderLine_merchantId_productId_orderedAt_idx" ON "OrderLine"("merchantId", "productId", "orderedAt");

-- CreateIndex
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_merchantId_orderId_lineNo_key" ON "OrderLine"("merchantId", "orderId", "lineNo");

-- CreateIndex
CREATE UNIQUE INDEX "Placement_merchantId_handle_key" ON "Placement"("merchantId", "handle");

-- CreateIndex
CREATE INDEX "Event_merchantId_productId_occurredAt_idx" ON "Event"("merchantId", "productId", "occurredAt");

-- CreateIndex
CREATE INDEX "Event_merchantId_customerId_occurredAt_idx" ON "Event"("merchantId", "customerId", "occurredAt");

-- CreateIndex
CREATE INDEX "Event_merchantId_occurredAt_idx" ON "Event"("merchantId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Event_merchantId_externalId_key" ON "Event"("merchantId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ExposurePlan_merchantId_placementId_version_key" ON "ExposurePlan"("merchantId", "placementId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ExposureAllocation_merchantId_planId_productId_key" ON "ExposureAllocation"("merchantId", "planId", "productId");

-- CreateIndex
CREATE INDEX "Launch_merchantId_idx" ON "Launch"("merchantId");

-- CreateIndex
CREATE INDEX "LaunchScenario_merchantId_launchId_idx" ON "LaunchScenario"("merchantId", "launchId");

-- CreateIndex
CREATE INDEX "Forecast_merchantId_productId_idx" ON "Forecast"("merchantId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "ForecastPoint_forecastId_periodStart_key" ON "ForecastPoint"("forecastId", "periodStart");

-- CreateIndex
CREATE INDEX "ConversionPrediction_merchantId_customerId_idx" ON "ConversionPrediction"("merchantId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ConversionPrediction_merchantId_modelVersionId_customerId_p_key" ON "ConversionPrediction"("merchantId", "modelVersionId", "customerId", "productId");

-- CreateIndex
CREATE INDEX "CustomerValue_merchantId_customerId_idx" ON "CustomerValue"("merchantId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerValue_merchantId_modelVersionId_customerId_key" ON "CustomerValue"("merchantId", "modelVersionId", "customerId");

-- CreateIndex
CREATE INDEX "RiskFlag_merchantId_createdAt_idx" ON "RiskFlag"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "ModelVersion_merchantId_kind_status_idx" ON "ModelVersion"("merchantId", "kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_merchantId_kind_version_key" ON "ModelVersion"("merchantId", "kind", "version");

-- CreateIndex
CREATE INDEX "Job_merchantId_createdAt_idx" ON "Job"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_merchantId_kind_state_idx" ON "Job"("merchantId", "kind", "state");

-- CreateIndex
CREATE UNIQUE INDEX "StagedUpload_token_key" ON "StagedUpload"("token");

-- CreateIndex
CREATE INDEX "StagedUpload_merchantId_idx" ON "StagedUpload"("merchantId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductStat" ADD CONSTRAINT "ProductStat_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_returnOfId_fkey" FOREIGN KEY ("returnOfId") REFERENCES "OrderLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_placementId_fkey" FOREIGN KEY ("placementId") REFERENCES "Placement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExposureAllocation" ADD CONSTRAINT "ExposureAllocation_planId_fkey" FOREIGN KEY ("planId") REFERENCES "ExposurePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LaunchScenario" ADD CONSTRAINT "LaunchScenario_launchId_fkey" FOREIGN KEY ("launchId") REFERENCES "Launch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Forecast" ADD CONSTRAINT "Forecast_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "LaunchScenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForecastPoint" ADD CONSTRAINT "ForecastPoint_forecastId_fkey" FOREIGN KEY ("forecastId") REFERENCES "Forecast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StagedUpload" ADD CONSTRAINT "StagedUpload_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StagedUploadChunk" ADD CONSTRAINT "StagedUploadChunk_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "StagedUpload"("id") ON DELETE CASCADE ON UPDATE CASCADE;
