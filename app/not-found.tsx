import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-lg flex-col items-center gap-3 p-10 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-muted-foreground">
        The page does not exist, or you are not a member of the organization it belongs to.
      </p>
      <Button asChild variant="outline">
        <Link href="/">Go to your dashboard</Link>
      </Button>
    </main>
  );
}
