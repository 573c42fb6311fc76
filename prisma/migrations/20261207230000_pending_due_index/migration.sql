-- The watchdog's partial index, narrowed. With `status = 'PENDING'` alone as its predicate, any
-- statement that filters on PENDING could use it: the planner, whose statistics were taken while
-- nothing was pending, chose it to mark a batch of first attempts SENDING, and then read every
-- pending delivery for each batch during a burst (docs/benchmarks.md, "Issue 25, third pass").
-- Only a range on "nextAttemptAt" (the watchdog's) implies this predicate.
DROP INDEX IF EXISTS "Delivery_pending_due_idx";
CREATE INDEX "Delivery_pending_due_idx" ON "Delivery"("nextAttemptAt") WHERE "status" = 'PENDING' AND "nextAttemptAt" IS NOT NULL;
