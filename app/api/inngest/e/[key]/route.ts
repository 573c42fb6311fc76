import { executorConfig } from "@/inngest/executor/config";
import { createIngestHandler } from "@/inngest/executor/http-handlers";
import { sqlPool } from "@/lib/db/pool";

const ingest = createIngestHandler({ config: executorConfig(), pool: sqlPool });

/** Embedded mode: `inngest.send()` posts here (the event key in the path is the executor key). */
export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }) {
  return ingest(request, (await params).key);
}
