-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "identity" TEXT NOT NULL,
    "taskQueue" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("identity")
);

-- CreateIndex
CREATE INDEX "WorkerHeartbeat_taskQueue_lastSeenAt_idx" ON "WorkerHeartbeat"("taskQueue", "lastSeenAt");
