import { executorConfig } from "@/lib/executor/config";
import { createIngestHandler } from "@/lib/executor/http-handlers";
import { executorPool } from "@/lib/executor/pool";

const ingest = createIngestHandler({ config: executorConfig(), pool: executorPool });

/** Embedded mode: `inngest.send()` posts here (the event key in the path is the executor key). */
export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }) {
  return ingest(request, (await params).key);
}
