/**
 * An executor process as far as metrics go, for tests/integration/metrics-ipc.test.ts: it answers
 * the parent's metrics requests over IPC (lib/observability/metrics-ipc.ts) and counts an accepted
 * message each time the parent sends "count", answering "counted". Prints nothing; sends "ready".
 */
import { countMessageAccepted, startProcessMetrics } from "@/lib/observability/metrics";
import { answerMetricsRequests } from "@/lib/observability/metrics-ipc";

startProcessMetrics(process.env.HOOKRELAY_PROCESS ?? "worker");
answerMetricsRequests();
process.on("message", (message: unknown) => {
  if (message !== "count") return;
  countMessageAccepted();
  process.send?.("counted");
});
process.once("disconnect", () => process.exit(0));
process.send?.("ready");
