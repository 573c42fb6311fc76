-- batchEvents: a run driven by several events. Empty for every other run.
ALTER TABLE "executor_runs" ADD COLUMN "batch_event_ids" TEXT[];
