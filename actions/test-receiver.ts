"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { createTestReceiver } from "@/lib/test-receiver/receivers";
import { testReceiverPath } from "@/lib/routes";
import { orgSlugSchema } from "@/lib/validations/organization";

const createReceiverSchema = z.object({
  org: orgSlugSchema,
  name: z.string().trim().min(1, "Name the receiver").max(80, "Names are at most 80 characters"),
});

export const createReceiverAction = defineAction({
  input: createReceiverSchema,
  access: member(MANAGE_ROLE, { portal: true }),
  run: async ({ org, name }, { organization }) => {
    const receiver = await createTestReceiver(organization.id, name);
    revalidatePath(testReceiverPath(org));
    return { token: receiver.token };
  },
});
