import type { InngestFunction } from "inngest";

/** Every function the app serves at /api/inngest. Add new functions here. */
export const functions: InngestFunction.Any[] = [];
