/**
 * Names the platform audit page's filters share between the server (lib/validations/audit-log.ts)
 * and the browser (components/audit), in a module that imports nothing.
 */

/**
 * The `organization` filter's value for the entries of no organization (a user's own account).
 * A reserved slug (`RESERVED_SLUGS`, lib/validations/organization.ts), so no organization has it.
 */
export const PLATFORM_SCOPE = "platform";

/** Every search param the filters own: changing one starts again from the first page. */
export const AUDIT_FILTER_KEYS = ["actor", "action", "organization", "since", "from", "to"] as const;
