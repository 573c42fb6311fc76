/** An owner invite as the dialog shows it once: the link's path (the page adds the origin), for whom, until when. */
export interface OwnerInvite {
  email: string;
  path: string;
  expiresAt: Date;
}
