import { problem } from "@/lib/api/problem";
import { declaresMoreThan, readCappedBody } from "@/lib/http/read-body";

/**
 * Reads a JSON request body of at most `maxBytes`. A larger declared `Content-Length` is refused
 * before any reading; a body that turns out larger is refused as soon as it passes the cap.
 * Returns the parsed value or the problem response to send.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const tooLarge = () => ({
    ok: false as const,
    response: problem("payload_too_large", `The request body is larger than ${maxBytes / 1024} KB.`, { limitBytes: maxBytes }),
  });
  if (declaresMoreThan(request, maxBytes)) return tooLarge();
  const body = await readCappedBody(request, maxBytes);
  if (body.truncated) return tooLarge();
  try {
    return { ok: true, value: JSON.parse(Buffer.from(body.bytes).toString("utf8")) as unknown };
  } catch (error) {
    return {
      ok: false,
      response: problem("invalid_json", `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`),
    };
  }
}
