/**
 * What the watchdog can find stalled (inngest/executor/watchdog.ts): the only values of the
 * `kind` label of `hookrelay_watchdog_stalls_total` and of `watchdog_stalls.kind`. A module of its
 * own so that the Jobs page reads them without loading prom-client.
 */
export const STALL_KINDS = ["run", "delivery", "executor"] as const;
export type StallKind = (typeof STALL_KINDS)[number];
