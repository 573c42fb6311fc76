"use server";

import { revalidatePath } from "next/cache";
import { defineAction, fail, member } from "@/lib/actions/define-action";
import { MANAGE_ROLE } from "@/lib/auth/roles";
import { ids } from "@/lib/ids";
import { expungeMessageContent } from "@/lib/messages/expunge";
import { messagePath } from "@/lib/routes";
import { expungeMessageSchema } from "@/lib/validations/message";

/**
 * Expunges a message's content from its detail page: owners and admins of the organization only.
 * A portal link's visitor may not, even as admin: like Svix, which keeps this call off its
 * application portal, removing data is the organization's own decision. A disabled organization
 * may still expunge: nothing is sent.
 */
export const expungeMessageAction = defineAction({
  input: expungeMessageSchema,
  access: member(MANAGE_ROLE),
  run: async ({ org, messageId, responses }, { organization, actor }) => {
    const done = await expungeMessageContent(ids.organization.of(organization.id), messageId, { responses }, actor);
    if (!done.ok) return fail(done.code, done.message);
    revalidatePath(messagePath(org, messageId));
    return { expungedAt: done.expungedAt.toISOString(), stopped: done.stopped, responses: done.responses };
  },
});
