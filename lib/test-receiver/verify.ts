import { Webhook, WebhookVerificationError } from "standardwebhooks";

export type SignatureStatus = "verified" | "invalid" | "unsigned" | "no_secret";

export interface SignatureCheck {
  status: SignatureStatus;
  detail: string;
}

/**
 * Verifies a received webhook the way a receiver would, with the reference Standard Webhooks
 * library: any of the endpoint's currently valid secrets may have signed it (rotation).
 */
export function verifySignature(body: string, headers: Record<string, string>, secrets: string[]): SignatureCheck {
  if (!headers["webhook-signature"]) return { status: "unsigned", detail: "No webhook-signature header" };
  if (secrets.length === 0) {
    return { status: "no_secret", detail: "No endpoint of this organization points at this receiver, so there is no secret to check with" };
  }
  let lastError = "No matching signature found";
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, headers, { jsonParse: false });
      return { status: "verified", detail: "Signature and timestamp verified" };
    } catch (error) {
      lastError = error instanceof WebhookVerificationError ? error.message : "Signature could not be checked";
    }
  }
  return { status: "invalid", detail: lastError };
}
