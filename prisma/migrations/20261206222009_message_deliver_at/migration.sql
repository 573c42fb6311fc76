-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deliverAt" TIMESTAMP(3);

