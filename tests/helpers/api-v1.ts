import { createApiKey } from "@/lib/api-keys/manage";
import { createUser } from "@/tests/helpers/factories";

/** A route file's exports, as `app/api/v1/**\/route.ts` declares them. */
type RouteModule = Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", (request: Request) => Promise<Response> | Response>;

/** Calls a v1 route handler in-process, like Next would: `path` with its query, an optional key and JSON body. */
export function callRoute(route: RouteModule, method: keyof RouteModule, path: string, key?: string, body?: unknown): Promise<Response> {
  const request = new Request(`http://127.0.0.1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return Promise.resolve(route[method](request));
}

export interface Problem {
  status: number;
  body: { code: string; detail: unknown; message?: string };
}

export async function problemOf(response: Response): Promise<Problem> {
  return { status: response.status, body: (await response.json()) as Problem["body"] };
}

export async function platformKey(): Promise<string> {
  const user = await createUser({ isStaff: true });
  return (await createApiKey({ name: "platform", scope: "PLATFORM", organizationId: null, createdById: user.id })).key;
}

export async function organizationKey(organizationId: string): Promise<string> {
  const user = await createUser();
  return (await createApiKey({ name: "org", scope: "ORGANIZATION", organizationId, createdById: user.id })).key;
}
