import { listEventTypes } from "@/lib/catalog/event-types";

/** Types the endpoint form offers: every active type, plus archived ones the endpoint already has. */
export async function pickableTypes(alreadySubscribed: string[] = []) {
  const all = await listEventTypes({ includeArchived: true });
  return all
    .filter((t) => !t.archived || alreadySubscribed.includes(t.name))
    .map((t) => ({ name: t.name, description: t.description, deprecated: t.deprecated, archived: t.archived }));
}
