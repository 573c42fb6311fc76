"use client";

import { ErrorState } from "@/components/layout/error-state";

export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl p-10">
      <ErrorState error={error} reset={reset} />
    </main>
  );
}
