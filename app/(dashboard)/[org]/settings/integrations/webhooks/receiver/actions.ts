"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fromZod, ok, runAction, type ActionResult } from "@/lib/action-result";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { requireMember } from "@/lib/auth/session";
import { createTestReceiver } from "@/lib/test-receiver/receivers";
import { testReceiverPath } from "@/lib/routes";
import { orgSlugSchema } from "@/lib/validations/organization";

const createReceiverSchema = z.object({
  org: orgSlugSchema,
  name: z.string().trim().min(1, "Name the receiver").max(80, "Names are at most 80 characters"),
});

export async function createReceiverAction(input: unknown): Promise<ActionResult<{ token: string }>> {
  return runAction(async () => {
    const parsed = createReceiverSchema.safeParse(input);
    if (!parsed.success) return fromZod(parsed.error);
    const { organization } = await requireMember(parsed.data.org, MANAGE_ROLE);
    const receiver = await createTestReceiver(organization.id, parsed.data.name);
    revalidatePath(testReceiverPath(parsed.data.org));
    return ok({ token: receiver.token });
  });
}
