import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/forwarded";

/** The address sign-in throttling counts: never one the client can choose (see `TRUST_PROXY`). */
export function clientIp(headers: Headers): string {
  return clientAddress(headers, env().TRUST_PROXY);
}
