import { redirect } from "next/navigation";
import { organizationsOf, requireUserPage } from "@/lib/auth/session";
import { webhooksPath } from "@/lib/routes";

export default async function Home() {
  const user = await requireUserPage();
  const orgs = await organizationsOf(user.id);
  if (orgs[0]) redirect(webhooksPath(orgs[0].slug));
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-xl font-semibold">No organization yet</h1>
      <p className="mt-2 text-muted-foreground">
        Your account ({user.email}) is not a member of any organization. Ask an owner to invite you.
      </p>
    </main>
  );
}
