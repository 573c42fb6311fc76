import { z } from "zod";

/**
 * The API reference page's URL: `?section=` names the section shown with its operations. A stale
 * or hand-edited value shows the first section rather than an error.
 */
export const apiReferenceSearchSchema = z.object({
  section: z.string().max(200).optional().catch(undefined),
});

/** An operation's anchor as `anchorOf` makes it: letters, digits, `_`, `.` and `-`. */
export const operationAnchorSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, "Not an operation anchor");
