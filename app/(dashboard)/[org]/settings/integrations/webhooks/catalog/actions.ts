"use server";

import { revalidatePath } from "next/cache";
import { fail, ok, runAction, type ActionResult } from "@/lib/action-result";
import { requireStaff } from "@/lib/auth/session";
import { createEventType, setEventTypeArchived, updateEventType } from "@/lib/catalog/event-types";
import { archiveEventTypeSchema, eventTypeSchema } from "@/lib/validations/catalog";
import { invalidInput } from "@/lib/validations/invalid-input";

/** The catalog is platform-wide: every organization's catalog pages change together. */
function refresh() {
  revalidatePath("/[org]/settings/integrations/webhooks", "layout");
}

export async function createEventTypeAction(input: unknown): Promise<ActionResult<{ name: string }>> {
  return runAction(async () => {
    const user = await requireStaff();
    const parsed = eventTypeSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    if ((await createEventType(parsed.data, user)) === "name_taken") {
      const message = `An event type named ${parsed.data.name} already exists (possibly archived); edit it instead.`;
      return fail("name_taken", message, { name: [message] });
    }
    refresh();
    return ok({ name: parsed.data.name });
  });
}

export async function updateEventTypeAction(input: unknown): Promise<ActionResult<{ name: string }>> {
  return runAction(async () => {
    const user = await requireStaff();
    const parsed = eventTypeSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    if ((await updateEventType(parsed.data, user)) === "not_found") return fail("not_found", `There is no event type named ${parsed.data.name}.`);
    refresh();
    return ok({ name: parsed.data.name });
  });
}

export async function setEventTypeArchivedAction(input: unknown): Promise<ActionResult<{ archived: boolean }>> {
  return runAction(async () => {
    const user = await requireStaff();
    const parsed = archiveEventTypeSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    if ((await setEventTypeArchived(parsed.data.name, parsed.data.archived, user)) === "not_found") {
      return fail("not_found", `There is no event type named ${parsed.data.name}.`);
    }
    refresh();
    return ok({ archived: parsed.data.archived });
  });
}
