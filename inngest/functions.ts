import type { InngestFunction } from "inngest";
import { deliverFirstAttempts, deliverRetries } from "@/inngest/functions/deliver-message";
import { purgeHistory } from "@/inngest/functions/purge-history";
import { recoverMessages } from "@/inngest/functions/recover-messages";

/** Every function the app serves at /api/inngest. Add new functions here. */
export const functions: InngestFunction.Any[] = [deliverFirstAttempts, deliverRetries, purgeHistory, recoverMessages];
