"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, staff } from "@/lib/actions/define-action";
import { createEventType, setEventTypeArchived, updateEventType } from "@/lib/catalog/event-types";
import { platformCatalogPath } from "@/lib/routes";
import { archiveEventTypeSchema, eventTypeSchema } from "@/lib/validations/catalog";

/** The catalog is platform-wide: the staff pages and every organization's catalog change together. */
function refresh() {
  revalidatePath(platformCatalogPath(), "layout");
  revalidatePath("/[org]/settings/integrations/webhooks", "layout");
}

export const createEventTypeAction = defineAction({
  input: eventTypeSchema,
  access: staff(),
  run: async (input, { user }) => {
    if ((await createEventType(input, user)) === "name_taken") {
      const message = `An event type named ${input.name} already exists (possibly archived); edit it instead.`;
      return fail("name_taken", message, { name: [message] });
    }
    refresh();
    return { name: input.name };
  },
});

export const updateEventTypeAction = defineAction({
  input: eventTypeSchema,
  access: staff(),
  run: async (input, { user }) => {
    if ((await updateEventType(input, user)) === "not_found") return fail("not_found", `There is no event type named ${input.name}.`);
    refresh();
    return { name: input.name };
  },
});

export const setEventTypeArchivedAction = defineAction({
  input: archiveEventTypeSchema,
  access: staff(),
  run: async ({ name, archived }, { user }) => {
    if ((await setEventTypeArchived(name, archived, user)) === "not_found") return fail("not_found", `There is no event type named ${name}.`);
    refresh();
    return { archived };
  },
});
