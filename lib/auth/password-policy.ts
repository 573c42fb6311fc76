import { z } from "zod";

/**
 * The one password rule, for every place a password is chosen (accepting an invite, changing one's
 * own): at least PASSWORD_MIN_LENGTH characters, and not one the zxcvbn estimator can guess cheaply
 * (score below MIN_SCORE) from its common-password lists, keyboard patterns and the person's own
 * name and address. The length is a zod rule (`newPasswordSchema`, the forms' and the actions'
 * schema); the strength check is async and its word lists are heavy (~1 MB), so `passwordProblem`
 * loads them (`password-strength.ts`) on first use: the browser only when a form is submitted.
 * Passwords never leave this function: nothing here logs or stores them.
 */

export const PASSWORD_MIN_LENGTH = 12;
/** zxcvbn's scale: 0 too guessable ... 4 very unguessable; 3 = "safely unguessable" (~10^10 guesses). */
export const MIN_SCORE = 3;

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, "Passwords are at most 200 characters");

/** The person's own words (address, its local part, name): a password built from them is weak. */
function userInputs(person: { email?: string | null; name?: string | null }): string[] {
  const inputs: string[] = [];
  if (person.email) inputs.push(person.email, ...person.email.split(/[@.+_-]/).filter((p) => p.length > 2));
  if (person.name) inputs.push(person.name, ...person.name.split(/\s+/).filter((p) => p.length > 2));
  return inputs;
}

/**
 * Why `password` is refused, or null when it meets the policy. The message is the estimator's own
 * feedback (what makes it guessable, and what to do instead).
 */
export async function passwordProblem(password: string, person: { email?: string | null; name?: string | null } = {}): Promise<string | null> {
  const length = newPasswordSchema.safeParse(password);
  if (!length.success) return length.error.issues[0]?.message ?? "Choose another password";
  const { estimatePassword } = await import("@/lib/auth/password-strength");
  const result = await estimatePassword(password, userInputs(person));
  if (result.score >= MIN_SCORE) return null;
  const { warning, suggestions } = result.feedback;
  const advice = [warning, ...suggestions].filter((s): s is string => !!s);
  return ["This password is too easy to guess.", ...(advice.length ? advice : ["Add more words that are less common."])].join(" ");
}
