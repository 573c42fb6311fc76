-- DropIndex
DROP INDEX "Message_organizationId_createdAt_idx";

-- DropIndex
DROP INDEX "Delivery_endpointId_createdAt_idx";

-- DropIndex
DROP INDEX "Delivery_endpointId_status_idx";

-- DropIndex
DROP INDEX "Attempt_endpointId_startedAt_idx";

-- CreateIndex
CREATE INDEX "Message_organizationId_createdAt_id_idx" ON "Message"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Message_organizationId_eventType_createdAt_id_idx" ON "Message"("organizationId", "eventType", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Delivery_endpointId_createdAt_id_idx" ON "Delivery"("endpointId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Delivery_endpointId_status_createdAt_id_idx" ON "Delivery"("endpointId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Attempt_endpointId_startedAt_id_idx" ON "Attempt"("endpointId", "startedAt", "id");

-- CreateIndex
CREATE INDEX "Attempt_endpointId_succeeded_startedAt_idx" ON "Attempt"("endpointId", "succeeded", "startedAt");


-- Payload search (containment and key-path equals, both `@>`): Prisma cannot express an
-- expression index, so this one is written by hand. The body is always JSON (it is what is signed
-- and sent), and an expression index costs no second copy of every payload.
CREATE INDEX "Message_payload_idx" ON "Message" USING GIN (("body"::jsonb) jsonb_path_ops);
