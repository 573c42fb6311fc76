import { authenticateApiKey } from "@/lib/api/authenticate";
import { allowedMethods, methodNotAllowed, problem } from "@/lib/api/problem";
import { taskOut } from "@/lib/recovery/api-shape";
import { getTask } from "@/lib/recovery/tasks";
import { taskRefSchema } from "@/lib/validations/recovery";

export const dynamic = "force-dynamic";

/** A background task's progress (Svix's `GET /api/v1/background-task/{task_id}`); an organization key sees its own tasks only. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const auth = await authenticateApiKey(request.headers.get("authorization"));
    if (!auth.ok) return problem("unauthorized", auth.message, null, { headers: { "www-authenticate": "Bearer" } });
    const { id } = await params;
    const task = taskRefSchema.shape.taskId.safeParse(id).success ? await getTask(auth.principal.scope === "PLATFORM" ? null : auth.principal.organizationId, id) : null;
    if (!task) return problem("not_found", `No background task ${id}.`);
    return Response.json(taskOut(task), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    console.error("GET /api/v1/background-task/{id} failed", error);
    return problem("internal", "The task could not be read because of a server error.");
  }
}

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
