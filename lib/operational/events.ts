/**
 * Operational webhooks: events about the platform's own webhooks, sent to the operator endpoints
 * (lib/operational/endpoints.ts) with Svix's types and payloads (`OperationalWebhook` in Svix's
 * server, the `webhooks` section of its OpenAPI document): `{ "type": "...", "data": { ... } }`.
 * They are never in the customers' event catalog.
 */

export const OPERATIONAL_EVENT_TYPES = {
  "endpoint.created": "An endpoint was created.",
  "endpoint.updated": "An endpoint's configuration changed (custom headers included).",
  "endpoint.deleted": "An endpoint was deleted.",
  "endpoint.disabled": "An endpoint was disabled: automatically after failing for `ENDPOINT_FAILURE_DISABLE_AFTER` (`trigger: automatic`), or by a person or an API call (`manual`).",
  "endpoint.enabled": "An endpoint was enabled.",
  "message.attempt.failing": "A message's fourth attempt to an endpoint failed; later attempts follow.",
  "message.attempt.exhausted": "Every scheduled attempt of a message to an endpoint failed.",
  "message.attempt.recovered": "A message reached an endpoint after its fourth attempt had failed.",
} as const;

export type OperationalEventType = keyof typeof OPERATIONAL_EVENT_TYPES;
export type EndpointEventType = Extract<OperationalEventType, `endpoint.${string}`>;
export type AttemptEventType = Extract<OperationalEventType, `message.attempt.${string}`>;

export const OPERATIONAL_EVENT_TYPE_NAMES = Object.keys(OPERATIONAL_EVENT_TYPES) as OperationalEventType[];

export function isOperationalEventType(name: string): name is OperationalEventType {
  return Object.hasOwn(OPERATIONAL_EVENT_TYPES, name);
}

/** Svix's OP_WEBHOOKS_SEND_FAILING_EVENT_AFTER: `failing` fires once, when this attempt fails and another follows. */
export const FAILING_AFTER_ATTEMPTS = 4;

/**
 * The event a scheduled attempt causes, by Svix's rules (`handle_failed_dispatch` and
 * `handle_successful_dispatch` of its worker): `failing` when attempt 4 failed and the schedule
 * goes on, `exhausted` when the last attempt failed, `recovered` when an attempt after a
 * `failing` (the 5th or later) succeeded. Other attempts cause none, and manual resends none.
 */
export function attemptEventOf(ok: boolean, attemptNumber: number, next: "SUCCEEDED" | "PENDING" | "FAILED"): AttemptEventType | null {
  if (ok) return attemptNumber > FAILING_AFTER_ATTEMPTS ? "message.attempt.recovered" : null;
  if (next === "FAILED") return "message.attempt.exhausted";
  return attemptNumber === FAILING_AFTER_ATTEMPTS && next === "PENDING" ? "message.attempt.failing" : null;
}

/** Svix's `EndpointCreatedEventData` (and updated, deleted, enabled): the application is an organization, its uid the slug. */
export interface EndpointEventData {
  appId: string;
  appUid: string | null;
  endpointId: string;
  endpointUid: string | null;
}

/** Svix's `EndpointDisabledEventData`. */
export interface EndpointDisabledEventData extends EndpointEventData {
  /** When the failures that disabled it began; null for a manual disable. */
  failSince: string | null;
  trigger: "automatic" | "manual";
}

/** Svix's `MessageAttemptFailedData`, the `lastAttempt` of the message.attempt.* events. */
export interface LastAttemptData {
  id: string;
  /** 0 when no HTTP answer came (timeout, refused connection), as in Svix. */
  responseStatusCode: number;
  timestamp: string;
}

/** Svix's `MessageAttemptExhaustedEventData` (and failing, recovered). Built in SQL by the delivery store. */
export interface MessageAttemptEventData {
  appId: string;
  appUid: string | null;
  msgId: string;
  msgEventId: string | null;
  endpointId: string;
  lastAttempt: LastAttemptData;
}

export type OperationalEvent =
  | { type: Exclude<EndpointEventType, "endpoint.disabled">; data: EndpointEventData }
  | { type: "endpoint.disabled"; data: EndpointDisabledEventData }
  | { type: AttemptEventType; data: MessageAttemptEventData };
