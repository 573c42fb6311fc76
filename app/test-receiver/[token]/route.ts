import { findReceiverByToken, MAX_BODY_BYTES, recordTestReceiverRequest } from "@/lib/test-receiver/receivers";
import { signingSecretsForReceiver } from "@/lib/test-receiver/secrets";
import { verifySignature } from "@/lib/test-receiver/verify";
import { readCappedBody } from "@/lib/http/read-body";

export const dynamic = "force-dynamic";

/** Headers worth showing; hop-by-hop and proxy headers are noise. */
const HIDDEN_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "x-forwarded-for", "x-forwarded-host", "x-forwarded-port", "x-forwarded-proto"]);

/** The built-in test receiver: acknowledges at once, records the request and its signature check. */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const receiver = await findReceiverByToken(token);
  if (!receiver) return Response.json({ error: "No test receiver at this address" }, { status: 404 });
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (!HIDDEN_HEADERS.has(name)) headers[name] = value;
  });
  // The beginning of a larger body is kept for display; the rest is never read.
  const capped = await readCappedBody(request, MAX_BODY_BYTES);
  const body = { text: new TextDecoder().decode(capped.bytes), truncated: capped.truncated };
  const secrets = await signingSecretsForReceiver(receiver);
  const signature = body.truncated
    ? { status: "invalid" as const, detail: `Body larger than ${MAX_BODY_BYTES} bytes: not verified` }
    : verifySignature(body.text, headers, secrets);
  await recordTestReceiverRequest(receiver.id, { headers, body: body.text, bodyTruncated: body.truncated }, signature);
  return Response.json({ received: true, signature: signature.status });
}

export function GET() {
  return Response.json({ error: "This is a webhook receiver: send a POST" }, { status: 405, headers: { allow: "POST" } });
}
