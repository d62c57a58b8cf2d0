-- AlterTable
ALTER TABLE "SocialAccount" ADD COLUMN     "lastUsage" JSONB,
ADD COLUMN     "throttledUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ScheduledPost" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "socialAccountId" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "statusReason" TEXT,
    "failureCode" TEXT,
    "deferredUntil" TIMESTAMP(3),
    "caption" TEXT NOT NULL,
    "captionVersion" INTEGER,
    "mediaFileId" UUID,
    "containerId" TEXT,
    "pendingCallAt" TIMESTAMP(3),
    "pendingCall" TEXT,
    "platformPostId" TEXT,
    "permalink" TEXT,
    "publishedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "webhookSent" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostMetricSnapshot" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "scheduledPostId" UUID NOT NULL,
    "pullIndex" INTEGER NOT NULL,
    "capturedAt" TIMESTAMP(3) NOT NULL,
    "views" INTEGER NOT NULL,
    "reach" INTEGER,
    "likes" INTEGER NOT NULL,
    "comments" INTEGER NOT NULL,
    "shares" INTEGER NOT NULL,
    "saves" INTEGER,
    "clicks" INTEGER,
    "engagementRate" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "PostMetricSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScheduledPost_agencyId_workspaceId_scheduledAt_idx" ON "ScheduledPost"("agencyId", "workspaceId", "scheduledAt");

-- CreateIndex
CREATE INDEX "ScheduledPost_cardId_idx" ON "ScheduledPost"("cardId");

-- CreateIndex
CREATE INDEX "ScheduledPost_socialAccountId_status_idx" ON "ScheduledPost"("socialAccountId", "status");

-- CreateIndex
CREATE INDEX "ScheduledPost_status_scheduledAt_idx" ON "ScheduledPost"("status", "scheduledAt");

-- CreateIndex
CREATE INDEX "PostMetricSnapshot_agencyId_capturedAt_idx" ON "PostMetricSnapshot"("agencyId", "capturedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostMetricSnapshot_scheduledPostId_pullIndex_key" ON "PostMetricSnapshot"("scheduledPostId", "pullIndex");

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_socialAccountId_fkey" FOREIGN KEY ("socialAccountId") REFERENCES "SocialAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostMetricSnapshot" ADD CONSTRAINT "PostMetricSnapshot_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostMetricSnapshot" ADD CONSTRAINT "PostMetricSnapshot_scheduledPostId_fkey" FOREIGN KEY ("scheduledPostId") REFERENCES "ScheduledPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One live post per card and account: a card is scheduled to an account again only after its earlier post there
-- was cancelled or failed. (Prisma's schema language has no partial unique index.)
CREATE UNIQUE INDEX "ScheduledPost_card_account_live_key" ON "ScheduledPost"("cardId", "socialAccountId") WHERE "status" NOT IN ('cancelled', 'failed');
