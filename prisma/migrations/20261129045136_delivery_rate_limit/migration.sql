-- CreateTable
CREATE TABLE "DeliveryRateSend" (
    "id" BIGSERIAL NOT NULL,
    "endpointId" TEXT NOT NULL,
    "sentAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "DeliveryRateSend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryRateSend_endpointId_sentAt_idx" ON "DeliveryRateSend"("endpointId", "sentAt");

