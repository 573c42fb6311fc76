import { diffFields } from "@/lib/audit/diff";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { subscribableNames } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { failDeliveries, STOP_REASON } from "@/lib/delivery/deliveries";
import { newEndpointId } from "@/lib/endpoints/ids";
import { createInitialSecret, currentSigningSecret, rotateSecret } from "@/lib/endpoints/secrets";
import type { Prisma } from "@/lib/generated/prisma/client";
import { storedHeadersSchema, URL_CHANGE_CONFIRMATION_MESSAGE, type CustomHeader, type EndpointConfig } from "@/lib/validations/endpoint";

export type EndpointFailure = { ok: false; code: "not_found" | "unknown_event_types" | "url_change_unconfirmed"; message: string; field?: string };

const NOT_FOUND: EndpointFailure = { ok: false, code: "not_found", message: "This endpoint does not exist or was deleted." };

const viewSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  rateLimit: true,
  headers: true,
  disabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Row = Prisma.EndpointGetPayload<{ select: typeof viewSelect }>;

/** An endpoint as the dashboard shows it, its stored headers parsed. */
export type EndpointView = Omit<Row, "headers"> & { headers: CustomHeader[] };

function toView(row: Row): EndpointView {
  return { ...row, headers: storedHeadersSchema.parse(row.headers) };
}

/** The audited fields: everything a user can configure. Secrets are audited by action, never by value. */
function auditedFields(e: Pick<EndpointView, "url" | "description" | "eventTypes" | "rateLimit" | "headers">) {
  return { url: e.url, description: e.description, eventTypes: e.eventTypes, rateLimit: e.rateLimit, headers: e.headers };
}

export async function listEndpoints(organizationId: string): Promise<EndpointView[]> {
  const rows = await db.endpoint.findMany({
    where: { organizationId, deletedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: viewSelect,
  });
  return rows.map(toView);
}

export async function getEndpoint(organizationId: string, endpointId: string): Promise<EndpointView | null> {
  const row = await db.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: viewSelect });
  return row ? toView(row) : null;
}

async function unknownTypes(requested: string[], alreadySubscribed: string[] = []): Promise<EndpointFailure | null> {
  const fresh = requested.filter((n) => !alreadySubscribed.includes(n));
  const allowed = await subscribableNames(fresh);
  const unknown = fresh.filter((n) => !allowed.has(n));
  if (!unknown.length) return null;
  return {
    ok: false,
    code: "unknown_event_types",
    field: "eventTypes",
    message: `Not in the event catalog or archived: ${unknown.join(", ")}. Choose types from the catalog.`,
  };
}

export async function createEndpoint(
  organizationId: string,
  config: EndpointConfig,
  actor: Actor,
  now: Date = new Date(),
): Promise<{ ok: true; id: string } | EndpointFailure> {
  const invalid = await unknownTypes(config.eventTypes);
  if (invalid) return invalid;
  const id = newEndpointId();
  await db.$transaction(async (tx) => {
    await tx.endpoint.create({
      data: {
        id,
        organizationId,
        url: config.url,
        description: config.description,
        eventTypes: config.eventTypes,
        rateLimit: config.rateLimit,
        headers: config.headers,
        createdAt: now,
      },
    });
    await createInitialSecret(tx, id, now);
    await recordAudit(tx, { actor, action: "endpoint.created", organizationId, endpointId: id, changes: diffFields({}, auditedFields(config)) });
  });
  return { ok: true, id };
}

export async function updateEndpoint(
  organizationId: string,
  endpointId: string,
  config: EndpointConfig,
  confirmUrlChange: boolean,
  actor: Actor,
): Promise<{ ok: true; changed: string[] } | EndpointFailure> {
  const before = await getEndpoint(organizationId, endpointId);
  if (!before) return NOT_FOUND;
  if (before.url !== config.url && !confirmUrlChange) {
    return { ok: false, code: "url_change_unconfirmed", field: "url", message: URL_CHANGE_CONFIRMATION_MESSAGE };
  }
  const invalid = await unknownTypes(config.eventTypes, before.eventTypes);
  if (invalid) return invalid;
  const changes = diffFields(auditedFields(before), auditedFields(config));
  if (!Object.keys(changes).length) return { ok: true, changed: [] };
  await db.$transaction(async (tx) => {
    await tx.endpoint.update({
      where: { id: endpointId },
      data: { url: config.url, description: config.description, eventTypes: config.eventTypes, rateLimit: config.rateLimit, headers: config.headers },
    });
    await recordAudit(tx, { actor, action: "endpoint.updated", organizationId, endpointId, changes });
  });
  return { ok: true, changed: Object.keys(changes) };
}

export async function setEndpointDisabled(
  organizationId: string,
  endpointId: string,
  disabled: boolean,
  actor: Actor,
): Promise<{ ok: true; changed: boolean } | EndpointFailure> {
  return db.$transaction(async (tx) => {
    const row = await tx.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: { disabled: true } });
    if (!row) return NOT_FOUND;
    if (row.disabled === disabled) return { ok: true, changed: false };
    await tx.endpoint.update({ where: { id: endpointId }, data: { disabled } });
    // Pending deliveries end now, recoverable later; their runs are cancelled by the published event.
    if (disabled) await failDeliveries({ endpointId }, STOP_REASON.disabled, tx);
    await recordAudit(tx, { actor, action: disabled ? "endpoint.disabled" : "endpoint.enabled", organizationId, endpointId });
    return { ok: true, changed: true };
  });
}

/** Soft delete: the row stays so message attempts (issue 5) keep their endpoint and URL history. */
export async function deleteEndpoint(organizationId: string, endpointId: string, actor: Actor, now: Date = new Date()): Promise<{ ok: true } | EndpointFailure> {
  return db.$transaction(async (tx) => {
    const row = await tx.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: { url: true } });
    if (!row) return NOT_FOUND;
    await tx.endpoint.update({ where: { id: endpointId }, data: { deletedAt: now, disabled: true } });
    await failDeliveries({ endpointId }, STOP_REASON.deleted, tx);
    await recordAudit(tx, { actor, action: "endpoint.deleted", organizationId, endpointId, changes: { url: row.url } });
    return { ok: true as const };
  });
}

export async function rotateEndpointSecret(
  organizationId: string,
  endpointId: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<{ ok: true; previousExpiresAt: Date } | EndpointFailure> {
  return db.$transaction(async (tx) => {
    const row = await tx.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: { id: true } });
    if (!row) return NOT_FOUND;
    const { previousExpiresAt } = await rotateSecret(tx, endpointId, now);
    await recordAudit(tx, {
      actor,
      action: "endpoint.secret_rotated",
      organizationId,
      endpointId,
      changes: { previousSecretValidUntil: previousExpiresAt.toISOString() },
    });
    return { ok: true as const, previousExpiresAt };
  });
}

/** Reveal is audited: whoever can read the secret can forge webhooks to this endpoint. */
export async function revealEndpointSecret(
  organizationId: string,
  endpointId: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<{ ok: true; secret: string } | EndpointFailure> {
  const endpoint = await getEndpoint(organizationId, endpointId);
  if (!endpoint) return NOT_FOUND;
  const secret = await currentSigningSecret(endpointId, now);
  if (!secret) return NOT_FOUND;
  await recordAudit(db, { actor, action: "endpoint.secret_revealed", organizationId, endpointId });
  return { ok: true, secret };
}
