-- CreateTable
CREATE TABLE "executor_workers" (
    "id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL,
    "stalled_at" TIMESTAMPTZ(3),

    CONSTRAINT "executor_workers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "watchdog_stalls" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "detail" TEXT NOT NULL,

    CONSTRAINT "watchdog_stalls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "watchdog_stalls_detected_at_idx" ON "watchdog_stalls"("detected_at");

-- CreateIndex
CREATE UNIQUE INDEX "watchdog_stalls_kind_subject_since_key" ON "watchdog_stalls"("kind", "subject", "since");

-- Partial index, not declarable in the Prisma schema (see the Delivery model): the watchdog's
-- overdue deliveries. Only pending deliveries are in it.
CREATE INDEX "Delivery_pending_due_idx" ON "Delivery"("nextAttemptAt") WHERE "status" = 'PENDING';
