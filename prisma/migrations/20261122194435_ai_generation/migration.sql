-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "aiProviderChain" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "autoApproveEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "autoApproveFloor" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "autoApproveThreshold" INTEGER NOT NULL DEFAULT 80;

-- CreateTable
CREATE TABLE "AgencyAiSettings" (
    "agencyId" UUID NOT NULL,
    "providerChain" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "openaiModel" TEXT,
    "geminiModel" TEXT,
    "openaiKeyCiphertext" TEXT,
    "geminiKeyCiphertext" TEXT,
    "keyId" TEXT,
    "openaiKeyHint" TEXT,
    "geminiKeyHint" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgencyAiSettings_pkey" PRIMARY KEY ("agencyId")
);

-- CreateTable
CREATE TABLE "AiBatch" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "campaignId" UUID,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "providerChain" TEXT[],
    "variantsPerItem" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "sourceText" TEXT,
    "sourceTitle" TEXT,
    "autoApprove" JSONB,
    "plannedVariants" INTEGER NOT NULL,
    "generatedVariants" INTEGER NOT NULL DEFAULT 0,
    "failedItems" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "summary" JSONB,
    "workflowId" TEXT NOT NULL,
    "createdById" UUID,
    "createdByName" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AiBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AiBatchItem" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "assetId" UUID,
    "format" TEXT NOT NULL,
    "cardId" UUID,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "approvedVariantIndex" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AiBatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AiVariant" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "variantIndex" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "angle" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "sawImage" BOOLEAN NOT NULL DEFAULT false,
    "content" JSONB NOT NULL,
    "adjustments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costMicros" INTEGER NOT NULL DEFAULT 0,
    "scores" JSONB,
    "overall" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'generated',
    "captionVersionId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "scoredAt" TIMESTAMP(3),

    CONSTRAINT "AiVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AiProviderSlot" (
    "provider" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "leasedUntil" TIMESTAMP(3),
    "coolDownUntil" TIMESTAMP(3),

    CONSTRAINT "AiProviderSlot_pkey" PRIMARY KEY ("provider","slot")
);

-- CreateIndex
CREATE UNIQUE INDEX "AiBatch_workflowId_key" ON "AiBatch"("workflowId");

-- CreateIndex
CREATE INDEX "AiBatch_agencyId_createdAt_idx" ON "AiBatch"("agencyId", "createdAt");

-- CreateIndex
CREATE INDEX "AiBatch_workspaceId_createdAt_idx" ON "AiBatch"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "AiBatch_campaignId_createdAt_idx" ON "AiBatch"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "AiBatchItem_agencyId_idx" ON "AiBatchItem"("agencyId");

-- CreateIndex
CREATE UNIQUE INDEX "AiBatchItem_batchId_index_key" ON "AiBatchItem"("batchId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "AiVariant_key_key" ON "AiVariant"("key");

-- CreateIndex
CREATE UNIQUE INDEX "AiVariant_captionVersionId_key" ON "AiVariant"("captionVersionId");

-- CreateIndex
CREATE INDEX "AiVariant_itemId_variantIndex_idx" ON "AiVariant"("itemId", "variantIndex");

-- CreateIndex
CREATE INDEX "AiVariant_agencyId_idx" ON "AiVariant"("agencyId");

-- AddForeignKey
ALTER TABLE "AgencyAiSettings" ADD CONSTRAINT "AgencyAiSettings_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatch" ADD CONSTRAINT "AiBatch_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatch" ADD CONSTRAINT "AiBatch_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatch" ADD CONSTRAINT "AiBatch_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatchItem" ADD CONSTRAINT "AiBatchItem_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatchItem" ADD CONSTRAINT "AiBatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "AiBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatchItem" ADD CONSTRAINT "AiBatchItem_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiBatchItem" ADD CONSTRAINT "AiBatchItem_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiVariant" ADD CONSTRAINT "AiVariant_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiVariant" ADD CONSTRAINT "AiVariant_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "AiBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiVariant" ADD CONSTRAINT "AiVariant_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "AiBatchItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiVariant" ADD CONSTRAINT "AiVariant_captionVersionId_fkey" FOREIGN KEY ("captionVersionId") REFERENCES "CaptionVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
