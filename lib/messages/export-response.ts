import { z } from "zod";
import { problem } from "@/lib/api/problem";
import { AuthorizationError } from "@/lib/auth/session";
import type { ExportOptions } from "@/lib/validations/message-logs";
import { errorFields, loggerFor } from "@/lib/observability/log";

/**
 * The HTTP side of an export: the generator becomes a byte stream pulled as the client reads
 * (backpressure: a slow download never queues batches in memory; a closed one stops the queries).
 */
export function exportResponse(chunks: AsyncGenerator<string>, format: ExportOptions["format"], baseName: string): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        loggerFor("[export]").error(errorFields(error), `export ${baseName} failed`);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${baseName}-${stamp}.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/** Session and membership failures, and invalid filters, as JSON problems. */
export function exportFailure(error: unknown, route: string): Response {
  if (error instanceof AuthorizationError) {
    return problem(error.code === "unauthenticated" ? "unauthorized" : error.code === "forbidden" ? "forbidden" : "not_found", error.message);
  }
  if (error instanceof z.ZodError) {
    return problem("invalid_body", error.issues[0]?.message ?? "Invalid filters", z.flattenError(error).fieldErrors);
  }
  loggerFor("[export]").error(errorFields(error), `${route} failed`);
  return problem("internal", "The export could not be started because of a server error.");
}
