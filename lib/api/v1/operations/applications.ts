import { z } from "zod";
import { mayActOn, type ApiPrincipal } from "@/lib/api/authenticate";
import { apiKeyActor } from "@/lib/api/app-request";
import { answer, type AnyOperation, apiError, defineOperation, invalidField } from "@/lib/api/v1/operation";
import { appParams, dateTimeOut, iteratorPosition, listAnswer, listOf, metadataSchema, orderedListQuery, sortOrderOf } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db";
import {
  createOrganization,
  deleteOrganization,
  findOrganizationRecord,
  listOrganizationRecords,
  updateOrganization,
  type OrganizationRecord,
} from "@/lib/organizations/organizations";
import { organizationNameSchema, orgSlugSchema } from "@/lib/validations/organization";

/** Svix's `ApplicationOut`: an organization, its slug as `uid`. */
const applicationOut = z
  .object({
    id: z.string().meta({ description: "The organization id." }),
    uid: z.string().meta({ description: "The organization slug: usable wherever an application id is." }),
    name: z.string(),
    metadata: z.record(z.string(), z.string()).meta({ description: "Free-form string pairs, as last set." }),
    throttleRate: z.null().meta({ description: "Always null: rate limits are set per endpoint (`rateLimit`)." }),
    webhooksEnabled: z.boolean().meta({ description: "HookRelay only, not in Svix: whether the organization's webhooks are on (messages are refused with 409 `webhooks_disabled` while they are off)." }),
    createdAt: dateTimeOut,
    updatedAt: dateTimeOut,
  })
  .meta({ id: "ApplicationOut" });

function toApplicationOut(org: OrganizationRecord): z.input<typeof applicationOut> {
  return { id: org.id, uid: org.slug, name: org.name, metadata: org.metadata, throttleRate: null, webhooksEnabled: org.webhooksEnabled, createdAt: org.createdAt, updatedAt: org.updatedAt };
}

const uidField = orgSlugSchema.meta({ description: "The organization slug (lowercase letters, digits and dashes): unique, and usable wherever an application id is." });

const throttleRateField = z
  .null({ error: "throttleRate is not supported: set a rate limit on each endpoint (`rateLimit`) instead" })
  .optional()
  .meta({ description: "Accepted as null only: rate limits are per endpoint (`rateLimit`)." });

const webhooksEnabledField = z
  .boolean({ error: "webhooksEnabled must be true or false" })
  .optional()
  .meta({
    description:
      "HookRelay only, not in Svix: switches the organization's webhooks on or off, as the dashboard's toggle does. A new application has them on (absent means true); an update without it keeps them as they are. Only a platform key may change it: an organization key may repeat the current value, and a change is refused with 422 at `body.webhooksEnabled`.",
  });

/** Svix's `ApplicationIn`, plus `webhooksEnabled`; also the inline `application` of message.create. */
export const applicationIn = z
  .object({
    name: organizationNameSchema.meta({ description: "The organization's name." }),
    uid: uidField.nullish().meta({ description: "The organization slug; made from the name when absent." }),
    metadata: metadataSchema.optional(),
    throttleRate: throttleRateField,
    webhooksEnabled: webhooksEnabledField,
  })
  .meta({ id: "ApplicationIn" });

const applicationPatch = z
  .object({
    name: organizationNameSchema.optional(),
    uid: uidField.nullish().meta({ description: "A new slug: the organization's dashboard and API paths change with it. Null keeps it." }),
    metadata: metadataSchema.optional(),
    throttleRate: throttleRateField,
    webhooksEnabled: webhooksEnabledField,
  })
  .meta({ id: "ApplicationPatch" });

const createQuery = z.object({
  get_if_exists: z
    .enum(["true", "false"], { message: "get_if_exists is true or false" })
    .optional()
    .transform((value) => value === "true")
    .meta({ description: "With `true`, an existing application with the same `uid` is returned (200) instead of refused (409)." }),
});

function slugTaken(slug: string): never {
  throw apiError("conflict", `Another application (organization) already has the uid "${slug}": choose another uid.`);
}

function notFound(app: string): never {
  throw apiError("not_found", `No application (organization) with id or uid "${app}".`);
}

const ANOTHER_ORGANIZATION = "This API key belongs to another organization.";

/**
 * The organization `app` names, for the PUT that may create it: the pipeline's `app` access would
 * answer 404 before the handler could. The same rule: an organization key learns nothing about
 * other organizations, not even whether they exist.
 */
async function organizationFor(principal: ApiPrincipal, app: string): Promise<OrganizationRecord | null> {
  const organization = await findOrganizationRecord(app);
  if (organization ? !mayActOn(principal, organization.id) : principal.scope !== "PLATFORM") throw apiError("forbidden", ANOTHER_ORGANIZATION);
  return organization;
}

function webhooksLocked(enabled: boolean): never {
  const message = `Only a platform API key may switch an organization's webhooks ${enabled ? "off" : "on"} (they are ${enabled ? "on" : "off"}): leave webhooksEnabled out, or ask an owner or admin to use the dashboard's toggle.`;
  throw invalidField(["body", "webhooksEnabled"], message, { type: "platform_key_required" });
}

async function updated(result: Awaited<ReturnType<typeof updateOrganization>>, app: string) {
  if (result.ok) return toApplicationOut(result.organization);
  if (result.code === "slug_taken") return slugTaken(result.slug);
  if (result.code === "webhooks_locked") return webhooksLocked(result.enabled);
  return notFound(app);
}

/**
 * An application created through the API: webhooks on unless the body says otherwise, since a
 * client that creates an application means to send to it (Svix's `application.create` →
 * `endpoint.create` → `message.create`). Organizations staff create in the dashboard start off.
 */
export async function createApplication(body: z.output<typeof applicationIn>, slug: string | undefined, principal: ApiPrincipal) {
  return createOrganization({ name: body.name, slug, metadata: body.metadata, webhooksEnabled: body.webhooksEnabled ?? true }, await apiKeyActor(principal));
}

/** Only platform keys change whether an organization's webhooks are on. */
const lockWebhooks = (principal: ApiPrincipal) => ({ lockWebhooks: principal.scope !== "PLATFORM" });

export const applicationsOperations: AnyOperation[] = [
  defineOperation({
    method: "GET",
    path: "/api/v1/app",
    operationId: "v1.application.list",
    tag: "Application",
    summary: "List applications",
    description:
      "The organizations this key may act on, newest first (oldest first with `order=ascending`): every organization for a platform key, its own for an organization key.",
    access: "any",
    query: orderedListQuery,
    response: { status: 200, description: "One page of applications.", schema: listOf(applicationOut, "ApplicationOut") },
    handler: async ({ principal, query }) => {
      const own = principal.organizationId ?? undefined;
      const order = sortOrderOf(query.order);
      const read = await iteratorPosition(query.iterator, {
        noun: "application",
        find: async (id) => {
          if (own && id !== own) return null;
          const organization = await db.organization.findUnique({ where: { id }, select: { id: true, createdAt: true } });
          return organization && { at: organization.createdAt, id: organization.id };
        },
      }, order);
      const page = await listOrganizationRecords({ organizationId: own, cursor: read, limit: query.limit, order });
      return listAnswer(page, read, (org) => org.id, toApplicationOut);
    },
  }),
  defineOperation({
    method: "POST",
    path: "/api/v1/app",
    operationId: "v1.application.create",
    tag: "Application",
    summary: "Create application",
    description:
      "Creates an organization (without members: add them in the dashboard), its webhooks on unless `webhooksEnabled` is false, so messages can be sent to it at once. `uid` is its slug; without one, a slug is made from the name. A `uid` already in use is refused with 409, unless `get_if_exists=true` (the SDK's `getOrCreate`): then the existing organization is returned with 200, unchanged.",
    access: "platform",
    query: createQuery,
    body: applicationIn,
    response: { status: 201, description: "Created.", schema: applicationOut },
    errors: ["conflict"],
    handler: async ({ principal, query, body }) => {
      if (body.uid && query.get_if_exists) {
        const existing = await findOrganizationRecord(body.uid);
        if (existing) return answer(200, toApplicationOut(existing));
      }
      const result = await createApplication(body, body.uid ?? undefined, principal);
      if (!result.ok) return slugTaken(result.slug);
      return toApplicationOut(result.organization);
    },
  }),
  defineOperation({
    method: "GET",
    path: "/api/v1/app/{app_id}",
    operationId: "v1.application.get",
    tag: "Application",
    summary: "Get application",
    access: "app",
    params: appParams,
    response: { status: 200, description: "The application.", schema: applicationOut },
    errors: ["not_found"],
    handler: async ({ organization, params }) => {
      const found = await findOrganizationRecord(organization.id);
      return found ? toApplicationOut(found) : notFound(params.app_id);
    },
  }),
  defineOperation({
    method: "PUT",
    path: "/api/v1/app/{app_id}",
    operationId: "v1.application.update",
    tag: "Application",
    summary: "Update or create application",
    description:
      "Replaces the name and metadata (absent metadata becomes `{}`); a `uid` changes the slug, an absent one keeps it, and so does an absent `webhooksEnabled`. An organization key may update its own organization, but not switch its webhooks. When no organization has this id or uid, a platform key creates one (201) with `uid`, or else the path's value, as its slug, webhooks on unless `webhooksEnabled` is false.",
    access: "any",
    params: appParams,
    body: applicationIn,
    response: { status: 200, description: "Updated.", schema: applicationOut },
    errors: ["conflict"],
    handler: async ({ principal, params, body }) => {
      const existing = await organizationFor(principal, params.app_id);
      if (!existing) {
        const slug = orgSlugSchema.safeParse(body.uid ?? params.app_id);
        if (!slug.success) throw invalidField(["body", "uid"], slug.error.issues[0]?.message ?? "not a valid slug");
        const created = await createApplication(body, slug.data, principal);
        if (!created.ok) return slugTaken(created.slug);
        return answer(201, toApplicationOut(created.organization));
      }
      const changes = { name: body.name, metadata: body.metadata ?? {}, slug: body.uid ?? undefined, webhooksEnabled: body.webhooksEnabled };
      return updated(await updateOrganization(existing.id, changes, await apiKeyActor(principal), lockWebhooks(principal)), params.app_id);
    },
  }),
  defineOperation({
    method: "PATCH",
    path: "/api/v1/app/{app_id}",
    operationId: "v1.application.patch",
    tag: "Application",
    summary: "Patch application",
    description:
      "Changes only the fields given. An organization key may patch its own organization, but not switch its webhooks (`webhooksEnabled`: platform keys only). A new `uid` changes the slug (409 when another organization has it).",
    access: "app",
    params: appParams,
    body: applicationPatch,
    response: { status: 200, description: "Updated.", schema: applicationOut },
    errors: ["conflict", "not_found"],
    handler: async ({ principal, organization, params, body }) => {
      const changes = { name: body.name, metadata: body.metadata, slug: body.uid ?? undefined, webhooksEnabled: body.webhooksEnabled };
      return updated(await updateOrganization(organization.id, changes, await apiKeyActor(principal), lockWebhooks(principal)), params.app_id);
    },
  }),
  defineOperation({
    method: "DELETE",
    path: "/api/v1/app/{app_id}",
    operationId: "v1.application.delete",
    tag: "Application",
    summary: "Delete application",
    description:
      "Deletes the organization and everything it owns, for good: its members' access, endpoints and secrets, messages, deliveries and attempts, API keys (they stop working at once), background tasks, test receivers and its activity log. Scheduled retries stop (their deliveries no longer exist); a request already on the wire still completes. Platform keys only; the deletion itself is kept in the platform audit log.",
    access: "platform",
    params: appParams,
    response: { status: 204, description: "Deleted." },
    errors: ["not_found"],
    handler: async ({ principal, params }) => {
      const organization = await findOrganizationRecord(params.app_id);
      if (!organization || (await deleteOrganization(organization.id, await apiKeyActor(principal))) === "not_found") return notFound(params.app_id);
      return null;
    },
  }),
];
