import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { deleteIdempotencyRecordsBefore, IDEMPOTENCY_TTL_MS } from "@/lib/api/v1/idempotency";
import { parseRetentionConfig, retentionConfig } from "@/lib/retention/config";
import { deleteEventsBefore, deleteFinishedRunsBefore } from "@/inngest/executor/retention";
import { deleteSentEventsBefore } from "@/lib/outbox/retention";
import { deleteMessagesBefore } from "@/lib/retention/messages";
import { deleteTaskItemsBefore, deleteTasksBefore } from "@/lib/retention/recovery-tasks";

/**
 * Inngest allows 1,000 steps per run: a backlog larger than this many batches of each kind (a
 * first run on a long-lived database) is finished by the next runs.
 */
export const MAX_BATCHES_PER_KIND = 100;

/**
 * Deletes history older than the retention limits (docs/retention.md): messages with their
 * deliveries and attempts, recovery tasks that ended with their items, then finished executor
 * runs with their steps and the events no run refers to any more (the executor's own purge,
 * inngest/executor/retention.ts), the outbox's sent events, then the API's idempotency keys past
 * their 24 hours. Every batch is its own step, one short statement, so nothing holds locks for
 * long and a crash resumes after the last batch done.
 */
export const purgeHistory = inngest.createFunction(
  // The schedule is fixed when the function is defined; the limits are read at its first run.
  { id: "purge-history", triggers: [cron(parseRetentionConfig().schedule)], concurrency: 1 },
  async ({ event, step }) => {
    const { messagesMs, executorMs, batchSize } = retentionConfig();
    // The tick's time, not the clock: every replay of this run computes the same cutoffs.
    const now = event.ts ?? (await step.run("now", () => Date.now()));
    const kinds = [
      { kind: "messages", cutoff: new Date(now - messagesMs), purge: deleteMessagesBefore },
      { kind: "recovery-items", cutoff: new Date(now - messagesMs), purge: deleteTaskItemsBefore },
      { kind: "recovery-tasks", cutoff: new Date(now - messagesMs), purge: deleteTasksBefore },
      { kind: "executor-runs", cutoff: new Date(now - executorMs), purge: deleteFinishedRunsBefore },
      { kind: "executor-events", cutoff: new Date(now - executorMs), purge: deleteEventsBefore },
      { kind: "outbox-events", cutoff: new Date(now - executorMs), purge: deleteSentEventsBefore },
      { kind: "idempotency-keys", cutoff: new Date(now - IDEMPOTENCY_TTL_MS), purge: deleteIdempotencyRecordsBefore },
    ];
    const deleted: Record<string, number> = {};
    for (const { kind, cutoff, purge } of kinds) {
      deleted[kind] = 0;
      for (let batch = 1; batch <= MAX_BATCHES_PER_KIND; batch++) {
        const count = await step.run(`delete-${kind}-${batch}`, () => purge(cutoff, batchSize));
        deleted[kind] += count;
        if (count < batchSize) break;
      }
    }
    return deleted;
  },
);
