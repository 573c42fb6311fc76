-- CreateEnum
CREATE TYPE "ExecutorRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SLEEPING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "executor_functions" (
    "id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "executor_functions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "executor_events" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "ts" BIGINT NOT NULL,
    "idempotency_key" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "executor_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "executor_runs" (
    "id" TEXT NOT NULL,
    "function_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" "ExecutorRunStatus" NOT NULL DEFAULT 'QUEUED',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "wake_at" TIMESTAMPTZ(3),
    "lease_token" TEXT,
    "leased_by" TEXT,
    "pending" JSONB NOT NULL DEFAULT '[]',
    "step_count" INTEGER NOT NULL DEFAULT 0,
    "concurrency_key" TEXT,
    "concurrency_limit" INTEGER,
    "idempotency_key" TEXT,
    "output" JSONB,
    "error" JSONB,
    "cancelled_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "executor_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "executor_steps" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "name" TEXT,
    "op" TEXT NOT NULL,
    "data" JSONB,
    "error" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "executor_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "executor_events_idempotency_key_key" ON "executor_events"("idempotency_key");

-- CreateIndex
CREATE INDEX "executor_events_dispatched_at_seq_idx" ON "executor_events"("dispatched_at", "seq");

-- CreateIndex
CREATE INDEX "executor_runs_wake_at_idx" ON "executor_runs"("wake_at");

-- CreateIndex
CREATE INDEX "executor_runs_function_id_status_idx" ON "executor_runs"("function_id", "status");

-- CreateIndex
CREATE INDEX "executor_runs_function_id_concurrency_key_status_idx" ON "executor_runs"("function_id", "concurrency_key", "status");

-- CreateIndex
CREATE INDEX "executor_runs_function_id_idempotency_key_idx" ON "executor_runs"("function_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "executor_runs_event_id_idx" ON "executor_runs"("event_id");

-- CreateIndex
CREATE INDEX "executor_runs_created_at_idx" ON "executor_runs"("created_at");

-- CreateIndex
CREATE INDEX "executor_steps_run_id_seq_idx" ON "executor_steps"("run_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "executor_steps_run_id_hash_key" ON "executor_steps"("run_id", "hash");

-- AddForeignKey
ALTER TABLE "executor_runs" ADD CONSTRAINT "executor_runs_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "executor_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "executor_steps" ADD CONSTRAINT "executor_steps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "executor_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

