-- Campaigns become briefs that belong to a workspace. Campaigns created before workspaces existed move into a
-- workspace named "Earlier campaigns" of their agency, keep their running workflow, and take the brief status
-- that matches their stage.
-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "audience" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "brandKitVersion" INTEGER,
ADD COLUMN     "budgetMinor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "contentVolume" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "createdById" UUID,
ADD COLUMN     "currency" TEXT NOT NULL DEFAULT 'USD',
ADD COLUMN     "endsAtLocal" TEXT,
ADD COLUMN     "keyMessages" TEXT[],
ADD COLUMN     "launchedAt" TIMESTAMP(3),
ADD COLUMN     "objective" TEXT NOT NULL DEFAULT 'awareness',
ADD COLUMN     "platforms" TEXT[],
ADD COLUMN     "references" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "startsAtLocal" TEXT,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'draft',
ADD COLUMN     "templateId" TEXT,
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC',
ADD COLUMN     "workspaceId" UUID,
ALTER COLUMN "stage" DROP NOT NULL,
ALTER COLUMN "stage" DROP DEFAULT,
ALTER COLUMN "startsAt" DROP NOT NULL,
ALTER COLUMN "endsAt" DROP NOT NULL;

INSERT INTO "Workspace" ("id", "agencyId", "name", "clientName", "description", "createdAt", "updatedAt")
SELECT gen_random_uuid(), a."agencyId", 'Earlier campaigns', 'Earlier campaigns',
       'Campaigns created before workspaces existed.', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM (SELECT DISTINCT "agencyId" FROM "Campaign" WHERE "workspaceId" IS NULL) a;

UPDATE "Campaign" c
SET "workspaceId" = w."id",
    "status" = CASE c."stage" WHEN 'paused' THEN 'paused' WHEN 'completed' THEN 'completed' ELSE 'active' END,
    "launchedAt" = c."createdAt",
    "platforms" = ARRAY[]::TEXT[],
    "keyMessages" = ARRAY[]::TEXT[]
FROM "Workspace" w
WHERE c."workspaceId" IS NULL AND w."agencyId" = c."agencyId" AND w."name" = 'Earlier campaigns'
  AND w."description" = 'Campaigns created before workspaces existed.';

ALTER TABLE "Campaign" ALTER COLUMN "workspaceId" SET NOT NULL;

-- AlterTable
ALTER TABLE "StoredFile" ADD COLUMN     "durationMs" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'image',
ADD COLUMN     "thumbnailKey" TEXT,
ADD COLUMN     "workspaceId" UUID;

-- CreateTable
CREATE TABLE "CampaignDeliverable" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "creatorId" UUID,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "sortOrder" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignDeliverable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentTask" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "deliverableId" UUID,
    "sequence" INTEGER,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "platform" TEXT NOT NULL,
    "kind" TEXT,
    "targetAccountIds" UUID[],
    "assigneeCreatorId" UUID,
    "dueAt" TIMESTAMP(3),
    "column" TEXT NOT NULL DEFAULT 'Backlog',
    -- Fractional-index keys sort byte-wise ("C"), whatever the database's default collation is.
    "position" TEXT COLLATE "C" NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContentTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaptionVersion" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaptionVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardComment" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "authorUserId" UUID,
    "authorName" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "mentions" UUID[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardActivity" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "actorUserId" UUID,
    "actorLabel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardAsset" (
    "agencyId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "fileId" UUID NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'draft',
    "addedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardAsset_pkey" PRIMARY KEY ("cardId","fileId")
);

-- CreateIndex
CREATE INDEX "CampaignDeliverable_campaignId_sortOrder_idx" ON "CampaignDeliverable"("campaignId", "sortOrder");

-- CreateIndex
CREATE INDEX "ContentTask_campaignId_column_position_idx" ON "ContentTask"("campaignId", "column", "position");

-- CreateIndex
CREATE INDEX "ContentTask_workspaceId_column_position_idx" ON "ContentTask"("workspaceId", "column", "position");

-- CreateIndex
CREATE INDEX "ContentTask_agencyId_assigneeCreatorId_idx" ON "ContentTask"("agencyId", "assigneeCreatorId");

-- CreateIndex
CREATE UNIQUE INDEX "ContentTask_deliverableId_sequence_key" ON "ContentTask"("deliverableId", "sequence");

-- CreateIndex
CREATE INDEX "CaptionVersion_agencyId_idx" ON "CaptionVersion"("agencyId");

-- CreateIndex
CREATE UNIQUE INDEX "CaptionVersion_cardId_version_key" ON "CaptionVersion"("cardId", "version");

-- CreateIndex
CREATE INDEX "CardComment_cardId_createdAt_idx" ON "CardComment"("cardId", "createdAt");

-- CreateIndex
CREATE INDEX "CardComment_agencyId_idx" ON "CardComment"("agencyId");

-- CreateIndex
CREATE INDEX "CardActivity_cardId_createdAt_idx" ON "CardActivity"("cardId", "createdAt");

-- CreateIndex
CREATE INDEX "CardActivity_agencyId_idx" ON "CardActivity"("agencyId");

-- CreateIndex
CREATE INDEX "CardAsset_agencyId_idx" ON "CardAsset"("agencyId");

-- CreateIndex
CREATE INDEX "Campaign_workspaceId_createdAt_idx" ON "Campaign"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "StoredFile_workspaceId_createdAt_idx" ON "StoredFile"("workspaceId", "createdAt");

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDeliverable" ADD CONSTRAINT "CampaignDeliverable_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDeliverable" ADD CONSTRAINT "CampaignDeliverable_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDeliverable" ADD CONSTRAINT "CampaignDeliverable_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTask" ADD CONSTRAINT "ContentTask_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTask" ADD CONSTRAINT "ContentTask_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTask" ADD CONSTRAINT "ContentTask_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTask" ADD CONSTRAINT "ContentTask_deliverableId_fkey" FOREIGN KEY ("deliverableId") REFERENCES "CampaignDeliverable"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTask" ADD CONSTRAINT "ContentTask_assigneeCreatorId_fkey" FOREIGN KEY ("assigneeCreatorId") REFERENCES "Creator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaptionVersion" ADD CONSTRAINT "CaptionVersion_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaptionVersion" ADD CONSTRAINT "CaptionVersion_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardComment" ADD CONSTRAINT "CardComment_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardComment" ADD CONSTRAINT "CardComment_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardActivity" ADD CONSTRAINT "CardActivity_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardActivity" ADD CONSTRAINT "CardActivity_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardAsset" ADD CONSTRAINT "CardAsset_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardAsset" ADD CONSTRAINT "CardAsset_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardAsset" ADD CONSTRAINT "CardAsset_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
