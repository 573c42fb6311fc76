-- Svix-compatible API (issue 12): metadata and endpoint uid, idempotency records, per-key rate windows.
ALTER TABLE "Organization" ADD COLUMN "metadata" JSONB NOT NULL DEFAULT '{}';

ALTER TABLE "Endpoint" ADD COLUMN "uid" TEXT;
ALTER TABLE "Endpoint" ADD COLUMN "metadata" JSONB NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX "Endpoint_organizationId_uid_key" ON "Endpoint"("organizationId", "uid");

CREATE TABLE "IdempotencyRecord" (
    "apiKeyId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER,
    "responseBody" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("apiKeyId","key")
);
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");

CREATE TABLE "ApiRateWindow" (
    "apiKeyId" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ApiRateWindow_pkey" PRIMARY KEY ("apiKeyId")
);
