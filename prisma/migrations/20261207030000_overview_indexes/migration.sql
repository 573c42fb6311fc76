-- CreateIndex
CREATE INDEX "Attempt_startedAt_succeeded_endpointId_idx" ON "Attempt"("startedAt", "succeeded", "endpointId");
