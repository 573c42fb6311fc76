/**
 * Stands in for `@/auth` in integration tests: server actions run outside a Next request, so
 * there is no cookie to read. Tests choose who is signed in; everything below the session
 * (membership, roles, database) is real.
 */
let currentUserId: string | null = null;

export function signInAs(userId: string | null) {
  currentUserId = userId;
}

export async function auth() {
  return currentUserId ? { user: { id: currentUserId }, expires: new Date(Date.now() + 3600_000).toISOString() } : null;
}

export const handlers = {};
export async function signIn() {
  throw new Error("signIn is not available in integration tests");
}
export async function signOut() {}
