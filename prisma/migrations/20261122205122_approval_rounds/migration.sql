-- CreateTable
CREATE TABLE "ApprovalRound" (
    "id" UUID NOT NULL,
    "agencyId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stepIndex" INTEGER NOT NULL DEFAULT 0,
    "captionVersion" INTEGER NOT NULL,
    "policy" JSONB NOT NULL,
    "submittedById" UUID,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "decisions" JSONB NOT NULL DEFAULT '[]',
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "escalatedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApprovalRound_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRound_workflowId_key" ON "ApprovalRound"("workflowId");

-- CreateIndex
CREATE INDEX "ApprovalRound_agencyId_status_idx" ON "ApprovalRound"("agencyId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRound_cardId_round_key" ON "ApprovalRound"("cardId", "round");

-- AddForeignKey
ALTER TABLE "ApprovalRound" ADD CONSTRAINT "ApprovalRound_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRound" ADD CONSTRAINT "ApprovalRound_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "ContentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;
