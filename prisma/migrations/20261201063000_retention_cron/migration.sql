-- CreateTable
CREATE TABLE "executor_crons" (
    "function_id" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "last_tick_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "executor_crons_pkey" PRIMARY KEY ("function_id","cron")
);

-- CreateIndex
CREATE INDEX "executor_events_received_at_idx" ON "executor_events"("received_at");

-- CreateIndex
CREATE INDEX "executor_runs_ended_at_idx" ON "executor_runs"("ended_at");

-- CreateIndex
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");

