import { db } from "@/lib/db";
import { activeSigningSecrets } from "@/lib/endpoints/secrets";
import { legacyTestReceiverPath, testReceiverPath } from "@/lib/test-receiver/receivers";

/**
 * The secrets a receiver checks signatures with: those of every live endpoint of its organization
 * whose URL points at it (any host: the dashboard may be reached by several names).
 */
export async function signingSecretsForReceiver(receiver: { organizationId: string; token: string }, now = new Date()): Promise<string[]> {
  const paths = [testReceiverPath(receiver.token), legacyTestReceiverPath(receiver.token)];
  const endpoints = await db.endpoint.findMany({
    where: { organizationId: receiver.organizationId, deletedAt: null, OR: paths.map((path) => ({ url: { contains: path } })) },
    select: { id: true, url: true },
  });
  const pointing = endpoints.filter((e) => {
    try {
      return paths.includes(new URL(e.url).pathname);
    } catch {
      return false;
    }
  });
  const lists = await Promise.all(pointing.map((e) => activeSigningSecrets(e.id, now)));
  return lists.flat();
}
