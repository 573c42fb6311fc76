import { z } from "zod";
import { newPasswordSchema } from "@/lib/auth/password-policy";
import { orgSlugSchema } from "@/lib/validations/organization";

export const roleSchema = z.enum(["OWNER", "ADMIN", "VIEWER"], { error: "Role must be Owner, Admin or Viewer" });

export const inviteEmailSchema = z.email("Enter a valid email address").trim().toLowerCase().max(254, "Email addresses are at most 254 characters");

export const createInviteSchema = z.object({ org: orgSlugSchema, email: inviteEmailSchema, role: roleSchema });
export const revokeInviteSchema = z.object({ org: orgSlugSchema, inviteId: z.string().min(1, "Invite id is required") });
export const changeRoleSchema = z.object({ org: orgSlugSchema, userId: z.string().min(1, "Member id is required"), role: roleSchema });
export const removeMemberSchema = z.object({ org: orgSlugSchema, userId: z.string().min(1, "Member id is required") });

export const inviteTokenSchema = z.string().min(1, "The invite link is incomplete").max(200, "The invite link is not valid");

/** A new password and its confirmation; the strength check (async) runs after parsing. */
const samePasswords = (v: { password: string; confirmPassword: string }) => v.password === v.confirmPassword;
const differ = { path: ["confirmPassword"], error: "The two passwords differ" };
const newPassword = { password: newPasswordSchema, confirmPassword: z.string() };

export const personNameSchema = z.string().trim().min(1, "Enter your name").max(100, "Names are at most 100 characters");

/** A new person accepting an invite: the account is created with this name and password. */
export const acceptInviteNewAccountSchema = z.object({ token: inviteTokenSchema, name: personNameSchema, ...newPassword }).refine(samePasswords, differ);
export const acceptInviteSchema = z.object({ token: inviteTokenSchema });

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password").max(200, "Password is too long"), ...newPassword })
  .refine(samePasswords, differ);

export type CreateInviteInput = z.infer<typeof createInviteSchema>;
export type AcceptInviteNewAccountInput = z.infer<typeof acceptInviteNewAccountSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
