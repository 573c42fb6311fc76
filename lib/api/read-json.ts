import { problem } from "@/lib/api/problem";

/**
 * Reads a JSON request body of at most `maxBytes`, refusing larger ones without buffering them
 * whole. Returns the parsed value or the problem response to send.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const tooLarge = () => ({
    ok: false as const,
    response: problem("payload_too_large", `The request body is larger than ${maxBytes / 1024} KB.`, { limitBytes: maxBytes }),
  });
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      response: problem("invalid_json", `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`),
    };
  }
}
