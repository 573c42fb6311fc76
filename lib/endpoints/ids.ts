import { publicId } from "@/lib/ids";

/** Endpoint ids: `ep_` + 22 base62 characters. */
export function newEndpointId(): string {
  return publicId("ep");
}
