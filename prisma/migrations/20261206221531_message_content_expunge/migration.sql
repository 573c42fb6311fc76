-- Content expunge (issue 22, item 6). Nullable columns without a default: a change of the catalog
-- only, no table rewrite, however many messages and attempts there are.

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "expungedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN     "responseExpungedAt" TIMESTAMP(3);

