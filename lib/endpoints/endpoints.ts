import { z } from "zod";
import { diffFields } from "@/lib/audit/diff";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { subscribableNames } from "@/lib/catalog/event-types";
import { db } from "@/lib/db";
import { failDeliveries, STOP_REASON } from "@/lib/delivery/store";
import { createInitialSecret, currentSigningSecret, rotateSecret } from "@/lib/endpoints/secrets";
import { Prisma } from "@/lib/generated/prisma/client";
import { ids, type EndpointId } from "@/lib/ids";
import { isOperationalEventType } from "@/lib/operational/events";
import { ensurePlatformOrganization, isPlatformOrganization } from "@/lib/operational/platform";
import { publishEndpointEvent } from "@/lib/operational/publish";
import { events, publish } from "@/lib/outbox";
import { storedHeadersSchema, URL_CHANGE_CONFIRMATION_MESSAGE, type CustomHeader, type EndpointConfig } from "@/lib/validations/endpoint";

export type EndpointFailure = { ok: false; code: "not_found" | "unknown_event_types" | "url_change_unconfirmed" | "conflict"; message: string; field?: string };

const NOT_FOUND: EndpointFailure = { ok: false, code: "not_found", message: "This endpoint does not exist or was deleted." };

const viewSelect = {
  id: true,
  uid: true,
  metadata: true,
  url: true,
  description: true,
  eventTypes: true,
  rateLimit: true,
  headers: true,
  disabled: true,
  failingSince: true,
  autoDisabledAt: true,
  autoDisabledFailures: true,
  autoDisabledError: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Row = Prisma.EndpointGetPayload<{ select: typeof viewSelect }>;

/** Why HookRelay disabled an endpoint on its own (lib/endpoints/auto-disable.ts). */
export interface AutomaticDisable {
  at: Date;
  /** The first failed attempt of the run that disabled it. */
  failingSince: Date;
  /** Failed attempts in the run that disabled it. */
  failures: number;
  lastError: string;
}

/** An endpoint as the dashboard and the API show it, its stored headers and metadata parsed. */
export type EndpointView = Omit<Row, "headers" | "metadata" | "failingSince" | "autoDisabledAt" | "autoDisabledFailures" | "autoDisabledError"> & {
  headers: CustomHeader[];
  metadata: Record<string, string>;
  /** Set while it stays disabled after HookRelay disabled it for failing; null otherwise. */
  automaticDisable: AutomaticDisable | null;
};

const storedMetadataSchema = z.record(z.string(), z.string());

function toView({ failingSince, autoDisabledAt, autoDisabledFailures, autoDisabledError, ...row }: Row): EndpointView {
  return {
    ...row,
    headers: storedHeadersSchema.parse(row.headers),
    metadata: storedMetadataSchema.parse(row.metadata),
    automaticDisable: autoDisabledAt
      ? { at: autoDisabledAt, failingSince: failingSince ?? autoDisabledAt, failures: autoDisabledFailures ?? 0, lastError: autoDisabledError ?? "" }
      : null,
  };
}

/** What only API clients set (Svix's fields): their own id for the endpoint and free-form metadata. */
export interface EndpointApiFields {
  uid?: string | null;
  metadata?: Record<string, string>;
}

/** On creation an API client may also create it disabled and choose its first signing secret. */
export interface NewEndpointApiFields extends EndpointApiFields {
  disabled?: boolean;
  secret?: string;
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

function uidTaken(uid: string | null | undefined): EndpointFailure {
  return { ok: false, code: "conflict", field: "uid", message: `Another endpoint of this organization already has uid "${uid ?? ""}": choose another uid.` };
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

/** Customers' endpoints take types of the catalog; the operator endpoints (lib/operational) take the operational events. */
async function unknownTypes(organizationId: string, requested: string[], alreadySubscribed: string[] = []): Promise<EndpointFailure | null> {
  const fresh = requested.filter((n) => !alreadySubscribed.includes(n));
  if (isPlatformOrganization(organizationId)) {
    const unknown = fresh.filter((n) => !isOperationalEventType(n));
    return unknown.length ? { ok: false, code: "unknown_event_types", field: "eventTypes", message: `Not an operational event: ${unknown.join(", ")}.` } : null;
  }
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

/** The API's fields in an audit entry, only when set (dashboard entries stay as they were). */
function auditedApiFields(api: NewEndpointApiFields) {
  return {
    ...(api.uid != null ? { uid: api.uid } : {}),
    ...(api.metadata && Object.keys(api.metadata).length ? { metadata: api.metadata } : {}),
    ...(api.disabled ? { disabled: true } : {}),
  };
}

export async function createEndpoint(
  organizationId: string,
  config: EndpointConfig,
  actor: Actor,
  now: Date = new Date(),
  api: NewEndpointApiFields = {},
): Promise<{ ok: true; id: EndpointId } | EndpointFailure> {
  const invalid = await unknownTypes(organizationId, config.eventTypes);
  if (invalid) return invalid;
  const id = ids.endpoint.generate();
  try {
    await db.$transaction(async (tx) => {
      if (isPlatformOrganization(organizationId)) await ensurePlatformOrganization(tx, now);
      await tx.endpoint.create({
        data: {
          id,
          organizationId,
          url: config.url,
          description: config.description,
          eventTypes: config.eventTypes,
          rateLimit: config.rateLimit,
          headers: config.headers,
          uid: api.uid ?? null,
          metadata: api.metadata ?? {},
          disabled: api.disabled ?? false,
          createdAt: now,
        },
      });
      await createInitialSecret(tx, id, now, api.secret);
      await recordAudit(tx, { actor, action: "endpoint.created", organizationId, endpointId: id, changes: diffFields({}, { ...auditedFields(config), ...auditedApiFields(api) }) });
      await publishEndpointEvent(tx, organizationId, { id, uid: api.uid ?? null }, { type: "endpoint.created" }, now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return uidTaken(api.uid);
    throw error;
  }
  return { ok: true, id };
}

export async function updateEndpoint(
  organizationId: string,
  endpointId: string,
  config: EndpointConfig,
  confirmUrlChange: boolean,
  actor: Actor,
  api: EndpointApiFields = {},
): Promise<{ ok: true; changed: string[] } | EndpointFailure> {
  const before = await getEndpoint(organizationId, endpointId);
  if (!before) return NOT_FOUND;
  if (before.url !== config.url && !confirmUrlChange) {
    return { ok: false, code: "url_change_unconfirmed", field: "url", message: URL_CHANGE_CONFIRMATION_MESSAGE };
  }
  const invalid = await unknownTypes(organizationId, config.eventTypes, before.eventTypes);
  if (invalid) return invalid;
  const uid = api.uid === undefined ? before.uid : api.uid;
  const metadata = api.metadata ?? before.metadata;
  const changes = diffFields({ ...auditedFields(before), uid: before.uid, metadata: before.metadata }, { ...auditedFields(config), uid, metadata });
  if (!Object.keys(changes).length) return { ok: true, changed: [] };
  try {
    await db.$transaction(async (tx) => {
      await tx.endpoint.update({
        where: { id: endpointId },
        data: { url: config.url, description: config.description, eventTypes: config.eventTypes, rateLimit: config.rateLimit, headers: config.headers, uid, metadata },
      });
      await recordAudit(tx, { actor, action: "endpoint.updated", organizationId, endpointId, changes });
      await publishEndpointEvent(tx, organizationId, { id: endpointId, uid }, { type: "endpoint.updated" });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return uidTaken(uid);
    throw error;
  }
  return { ok: true, changed: Object.keys(changes) };
}

/**
 * Disabling ends the endpoint's pending deliveries now (recoverable later) and publishes
 * `endpoint/disabled` in the same transaction, which cancels their runs: whoever calls it
 * (dashboard, API, portal), the cancel goes out exactly when the change commits.
 */
export async function setEndpointDisabled(
  organizationId: string,
  endpointId: string,
  disabled: boolean,
  actor: Actor,
): Promise<{ ok: true; changed: boolean } | EndpointFailure> {
  return db.$transaction(async (tx) => {
    const row = await tx.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: { disabled: true, uid: true } });
    if (!row) return NOT_FOUND;
    if (row.disabled === disabled) return { ok: true, changed: false };
    // Enabling forgets an automatic disable and its failures: the clock starts again.
    await tx.endpoint.update({ where: { id: endpointId }, data: disabled ? { disabled } : { disabled, ...CLEARED_FAILURE_STATE } });
    if (disabled) await stopDeliveries(tx, "disabled", { organizationId, endpointId });
    await recordAudit(tx, { actor, action: disabled ? "endpoint.disabled" : "endpoint.enabled", organizationId, endpointId });
    const endpoint = { id: endpointId, uid: row.uid };
    await publishEndpointEvent(tx, organizationId, endpoint, disabled ? { type: "endpoint.disabled", failSince: null, trigger: "manual" } : { type: "endpoint.enabled" });
    return { ok: true, changed: true };
  });
}

const CLEARED_FAILURE_STATE = { failingSince: null, autoDisabledAt: null, autoDisabledFailures: null, autoDisabledError: null } as const;

/** An endpoint stopped receiving: its unfinished deliveries end and their runs are cancelled, in the caller's transaction. */
export async function stopDeliveries(tx: Prisma.TransactionClient, kind: "disabled" | "deleted", ref: { organizationId: string; endpointId: string }) {
  const endpointId = ids.endpoint.of(ref.endpointId);
  await failDeliveries({ endpointId }, STOP_REASON[kind], tx);
  await publish(tx, [events.endpointStopped(kind, { organizationId: ids.organization.of(ref.organizationId), endpointId })]);
}

/**
 * The API's update (Svix's semantics): configuration, the API's own fields and the enabled state in
 * one call. A changed URL needs no confirmation here, as in Svix; the audit entry records it.
 * Disabling ends pending deliveries and cancels their runs as the dashboard's switch does.
 */
export async function applyEndpointChanges(
  organizationId: string,
  endpointId: string,
  config: EndpointConfig,
  api: EndpointApiFields & { disabled?: boolean },
  actor: Actor,
): Promise<{ ok: true } | EndpointFailure> {
  const updated = await updateEndpoint(organizationId, endpointId, config, true, actor, api);
  if (!updated.ok || api.disabled === undefined) return updated.ok ? { ok: true } : updated;
  const toggled = await setEndpointDisabled(organizationId, endpointId, api.disabled, actor);
  return toggled.ok ? { ok: true } : toggled;
}

/** The API's `{endpoint_id}`: an endpoint id (`ep_…`) or the endpoint's uid, in this organization. */
export async function findEndpoint(organizationId: string, idOrUid: string): Promise<EndpointView | null> {
  const row = await db.endpoint.findFirst({
    where: { organizationId, deletedAt: null, ...(idOrUid.startsWith("ep_") ? { id: idOrUid } : { uid: idOrUid }) },
    select: viewSelect,
  });
  return row ? toView(row) : null;
}

/**
 * Soft delete: the row stays so message attempts keep their endpoint and URL history. Its uid is
 * released so a new endpoint can take it, as Svix allows. Pending deliveries end and their runs
 * are cancelled (`endpoint/deleted`, published in the same transaction).
 */
export async function deleteEndpoint(organizationId: string, endpointId: string, actor: Actor, now: Date = new Date()): Promise<{ ok: true } | EndpointFailure> {
  return db.$transaction(async (tx) => {
    const row = await tx.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: { url: true, uid: true } });
    if (!row) return NOT_FOUND;
    await tx.endpoint.update({ where: { id: endpointId }, data: { deletedAt: now, disabled: true, uid: null } });
    await stopDeliveries(tx, "deleted", { organizationId, endpointId });
    await recordAudit(tx, { actor, action: "endpoint.deleted", organizationId, endpointId, changes: { url: row.url } });
    await publishEndpointEvent(tx, organizationId, { id: endpointId, uid: row.uid }, { type: "endpoint.deleted" }, now);
    return { ok: true as const };
  });
}

/** `secret`: the new secret an API client chose (validated by lib/validations/signing-secret.ts); generated when absent. */
export async function rotateEndpointSecret(
  organizationId: string,
  endpointId: string,
  actor: Actor,
  now: Date = new Date(),
  secret?: string,
): Promise<{ ok: true; previousExpiresAt: Date } | EndpointFailure> {
  return db.$transaction(async (tx) => {
    const row = await tx.endpoint.findFirst({ where: { id: endpointId, organizationId, deletedAt: null }, select: { id: true } });
    if (!row) return NOT_FOUND;
    const { previousExpiresAt } = await rotateSecret(tx, endpointId, now, secret);
    await recordAudit(tx, {
      actor,
      action: "endpoint.secret_rotated",
      organizationId,
      endpointId,
      changes: { previousSecretValidUntil: previousExpiresAt.toISOString(), ...(secret ? { newSecretChosenByClient: true } : {}) },
    });
    return { ok: true as const, previousExpiresAt };
  });
}

/**
 * The custom headers in clear. Audited like the secret (a header is often a receiver's credential):
 * the entry names the headers, never their values.
 */
export async function revealEndpointHeaders(organizationId: string, endpointId: string, actor: Actor): Promise<{ ok: true; headers: CustomHeader[] } | EndpointFailure> {
  const endpoint = await getEndpoint(organizationId, endpointId);
  if (!endpoint) return NOT_FOUND;
  await recordAudit(db, { actor, action: "endpoint.headers_revealed", organizationId, endpointId, changes: { headers: endpoint.headers.map((h) => h.name) } });
  return { ok: true, headers: endpoint.headers };
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
