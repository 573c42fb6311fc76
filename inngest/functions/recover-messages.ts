import { inngest } from "@/inngest/client";
import { recoveryRequested } from "@/inngest/events";
import { ids } from "@/lib/ids";
import { failTask, finishTask, runTaskBatch, startTaskRun } from "@/lib/recovery/run";

/** Batches per run: Inngest allows 1,000 steps in one run, so a longer task continues in a new run. */
export const BATCHES_PER_RUN = 500;

/**
 * A recovery task (docs/recovery.md): snapshot the messages it sends, then one step per batch
 * until none is left, then finish. Each batch re-reads the task, so a Cancel stops it before the
 * next batch; a crash re-runs only the batch in flight, whose recorded sends are not repeated.
 */
export const recoverMessages = inngest.createFunction(
  {
    id: "recover-messages",
    triggers: [recoveryRequested],
    retries: 10,
    onFailure: async ({ event, error }) => {
      await failTask(ids.task.of(event.data.event.data.taskId), error.message);
    },
  },
  async ({ event, step }) => {
    const { part = 1 } = event.data;
    const taskId = ids.task.of(event.data.taskId);
    const started = await step.run("snapshot", () => startTaskRun(taskId));
    if (started.done) return started;
    for (let batch = 1; batch <= BATCHES_PER_RUN; batch++) {
      const outcome = await step.run(`batch-${batch}`, () => runTaskBatch(taskId));
      if (outcome.done) return outcome.complete ? step.run("finish", () => finishTask(taskId)) : outcome;
    }
    await step.sendEvent("continue", recoveryRequested.create({ ...event.data, part: part + 1 }, { id: `recovery-${taskId}-part-${part + 1}` }));
    return { done: false, continuedIn: part + 1 };
  },
);
