import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { safeCallbackPath } from "@/lib/auth/public-paths";
import { currentUser } from "@/lib/auth/session";
import { signInSchema } from "@/lib/validations/auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; email?: string }> }) {
  const { callbackUrl, email } = await searchParams;
  const target = safeCallbackPath(callbackUrl);
  if (await currentUser()) redirect(target);
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle className="text-xl">Sign in to HookRelay</CardTitle>
          <CardDescription>Manage your organization&apos;s webhooks.</CardDescription>
        </CardHeader>
        <CardContent>
          <SignInForm callbackUrl={target} email={signInSchema.shape.email.safeParse(email).data} />
        </CardContent>
      </Card>
    </main>
  );
}
