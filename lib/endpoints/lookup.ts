import { cache } from "react";
import { getEndpoint } from "@/lib/endpoints/endpoints";

/**
 * The endpoint of a screen under `endpoints/[endpointId]`, read once per request: Next renders the
 * endpoint layout and its page in one pass and each needs the endpoint (the layout for its header and
 * the 404, the page under its own loading boundary). React's `cache` shares the read within one
 * server render; code run outside a render reads every time.
 */
export const endpointForPage = cache((organizationId: string, endpointId: string) => getEndpoint(organizationId, endpointId));
