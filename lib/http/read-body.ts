/**
 * Request bodies read with a cap: at most `maxBytes` are ever held, whatever the client sends or
 * declares. Past the cap the stream is cancelled, so the rest is never buffered; the caller
 * decides whether that is an error (the API: 413) or a truncation (the test receiver shows the
 * beginning).
 */
export interface CappedBody {
  /** The first `maxBytes` bytes at most. */
  bytes: Uint8Array;
  /** The body went on past `maxBytes`; what followed was not read. */
  truncated: boolean;
}

/** The `Content-Length` a request declares when it is larger than `maxBytes`, before any reading. */
export function declaresMoreThan(request: { headers: { get(name: string): string | null } }, maxBytes: number): boolean {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  return Number.isFinite(declared) && declared > maxBytes;
}

export async function readCappedBody(request: Request, maxBytes: number): Promise<CappedBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!request.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), truncated: false };
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}
