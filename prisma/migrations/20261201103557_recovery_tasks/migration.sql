-- CreateEnum
CREATE TYPE "BackgroundTaskKind" AS ENUM ('RESEND_FAILED', 'REPLAY_MISSING', 'BULK_RESEND');

-- CreateEnum
CREATE TYPE "BackgroundTaskStatus" AS ENUM ('QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BackgroundTaskItemState" AS ENUM ('QUEUED', 'SENDING', 'SUCCEEDED', 'FAILED', 'SCHEDULED', 'SKIPPED', 'CANCELLED');

-- CreateTable
CREATE TABLE "BackgroundTask" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "endpointId" TEXT,
    "kind" "BackgroundTaskKind" NOT NULL,
    "params" JSONB NOT NULL,
    "status" "BackgroundTaskStatus" NOT NULL DEFAULT 'QUEUED',
    "activeKey" TEXT,
    "total" INTEGER,
    "error" TEXT,
    "createdById" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackgroundTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackgroundTaskItem" (
    "taskId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "deliveryId" TEXT,
    "state" "BackgroundTaskItemState" NOT NULL DEFAULT 'QUEUED',
    "priorStatus" "DeliveryStatus",
    "detail" TEXT,

    CONSTRAINT "BackgroundTaskItem_pkey" PRIMARY KEY ("taskId","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "BackgroundTask_activeKey_key" ON "BackgroundTask"("activeKey");

-- CreateIndex
CREATE INDEX "BackgroundTask_organizationId_createdAt_idx" ON "BackgroundTask"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "BackgroundTask_endpointId_createdAt_idx" ON "BackgroundTask"("endpointId", "createdAt");

-- CreateIndex
CREATE INDEX "BackgroundTaskItem_taskId_state_seq_idx" ON "BackgroundTaskItem"("taskId", "state", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "BackgroundTaskItem_taskId_messageId_endpointId_key" ON "BackgroundTaskItem"("taskId", "messageId", "endpointId");

-- AddForeignKey
ALTER TABLE "BackgroundTask" ADD CONSTRAINT "BackgroundTask_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackgroundTaskItem" ADD CONSTRAINT "BackgroundTaskItem_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "BackgroundTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

