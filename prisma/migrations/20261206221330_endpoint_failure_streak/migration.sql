-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "autoDisabledAt" TIMESTAMP(3),
ADD COLUMN     "autoDisabledError" TEXT,
ADD COLUMN     "autoDisabledFailures" INTEGER,
ADD COLUMN     "failingSince" TIMESTAMP(3);

