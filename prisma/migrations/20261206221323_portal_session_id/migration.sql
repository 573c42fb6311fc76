-- AlterTable
ALTER TABLE "PortalAccess" ADD COLUMN     "sessionId" TEXT;

-- CreateIndex
CREATE INDEX "PortalAccess_organizationId_sessionId_idx" ON "PortalAccess"("organizationId", "sessionId");

