import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { Role } from "@/lib/auth/roles";
import {
  AuthorizationError,
  assertStaff,
  currentUser,
  memberOf,
  memberOrPortal,
  requireUser,
  SIGNED_OUT,
  type MemberContext,
  type MemberOrPortalContext,
  type PortalOption,
  type SessionUser,
} from "@/lib/auth/session";
import { hasPortalCookie } from "@/lib/portal/session";
import { fieldErrorsByPath, type FieldErrors } from "@/lib/validations/field-errors";
import { errorFields, loggerFor } from "@/lib/observability/log";

/** What every server action returns: errors are values, never thrown stack traces. */
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; code: string; error: string; fieldErrors?: FieldErrors };

/** An expected failure of the domain (not found, name taken, ...), returned by `run` through `fail()`. */
export class ActionFailure {
  constructor(
    readonly code: string,
    readonly error: string,
    readonly fieldErrors?: FieldErrors,
  ) {}
}

export function fail(code: string, error: string, fieldErrors?: FieldErrors): ActionFailure {
  return new ActionFailure(code, error, fieldErrors);
}

type MemberAccess<P extends boolean = boolean> = { kind: "member"; role: Role; portal: P };
type StaffAccess = { kind: "staff" };
type UserAccess = { kind: "user" };
/** Who may call an action. */
export type Access = MemberAccess | StaffAccess | UserAccess;

/**
 * A member of the organization named by the input's `org`, with at least this role. With
 * `{ portal: true }` (the webhook screens' actions only), also a portal link's visitor to that
 * organization (lib/portal), as Admin or, read-only, Viewer.
 */
export function member(role: Role): MemberAccess<false>;
export function member(role: Role, options: PortalOption): MemberAccess<true>;
export function member(role: Role, options?: PortalOption): MemberAccess {
  return { kind: "member", role, portal: options?.portal ?? false };
}
/** Platform staff (HookRelay's own operators), whatever their memberships. */
export const staff = (): StaffAccess => ({ kind: "staff" });
/** Any signed-in user: for account-level actions that belong to no organization. */
export const signedIn = (): UserAccess => ({ kind: "user" });

/** What `run` learns about the caller: the member context for member access, the user otherwise. */
export type ActionContext<A extends Access> = A extends MemberAccess<true> ? MemberOrPortalContext : A extends MemberAccess ? MemberContext : { user: SessionUser };

/** Member access needs the organization's slug in the input. */
type InputFor<A extends Access> = [Extract<A, MemberAccess>] extends [never] ? z.ZodType : z.ZodType<{ org: string }>;

export interface ActionSpec<S extends z.ZodType, A extends Access, T> {
  input: S & InputFor<A>;
  /** Fixed, or chosen from the parsed input (an organization key needs a role, a platform key staff). */
  access: A | ((input: z.output<S>) => A);
  /** The domain call: returns the data for the client, or `fail(...)` for an expected failure. */
  run: (input: z.output<S>, context: ActionContext<A>) => Promise<T | ActionFailure>;
}

const HIDDEN_ERROR = "Something went wrong on our side. Try again; if it persists, check the server log.";

function failure(code: string, error: string, fieldErrors?: FieldErrors): ActionResult<never> {
  return fieldErrors ? { ok: false, code, error, fieldErrors } : { ok: false, code, error };
}

async function authorize(access: Access, user: SessionUser | null, input: unknown): Promise<MemberOrPortalContext | { user: SessionUser }> {
  const org = (input as { org: string } | undefined)?.org ?? "";
  if (access.kind === "member" && access.portal) return memberOrPortal(user, org, access.role);
  if (!user) throw new AuthorizationError("unauthenticated", SIGNED_OUT);
  switch (access.kind) {
    case "member":
      return memberOf(user, org, access.role);
    case "staff":
      return { user: assertStaff(user) };
    case "user":
      return { user };
  }
}

/**
 * The one way to write a server action: signed-in check, input parsed by the zod schema the form
 * also uses, role or staff check, the domain call, and a typed `ActionResult`. Authorization
 * failures become results with their code; anything unexpected is logged here and hidden from the
 * client. Next's own control flow (`redirect()`, `notFound()`) passes through.
 */
export function defineAction<S extends z.ZodType, A extends Access, T>(spec: ActionSpec<S, A, T>): (input: unknown) => Promise<ActionResult<T>> {
  return async (raw: unknown) => {
    try {
      // A fixed access is checked before the input is read, so refused callers learn nothing from validation.
      const fixed = typeof spec.access === "function" ? null : spec.access;
      // Portal visitors have no user; only actions that opt in to them go on without one.
      const user = fixed?.kind === "member" && fixed.portal ? await currentUser() : await requireUser();
      if (!user && !(await hasPortalCookie())) throw new AuthorizationError("unauthenticated", SIGNED_OUT);
      let context = fixed && fixed.kind !== "member" ? await authorize(fixed, user, undefined) : null;
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]?.message ?? "Invalid input", fieldErrorsByPath(parsed.error));
      const input = parsed.data as z.output<S>;
      if (!context) context = await authorize(typeof spec.access === "function" ? spec.access(input) : spec.access, user, input);
      const out = await spec.run(input, context as ActionContext<A>);
      if (out instanceof ActionFailure) return failure(out.code, out.error, out.fieldErrors);
      return { ok: true, data: out };
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof AuthorizationError) return failure(error.code, error.message);
      loggerFor("[action]").error(errorFields(error), "server action failed");
      return failure("internal", HIDDEN_ERROR);
    }
  };
}
