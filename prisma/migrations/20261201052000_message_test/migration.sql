-- Messages sent from an endpoint's Testing tab. A constant default adds no table rewrite.
ALTER TABLE "Message" ADD COLUMN "test" BOOLEAN NOT NULL DEFAULT false;
