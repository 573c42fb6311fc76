"use client";

import { ErrorState } from "@/components/layout/error-state";

export default function PlatformError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={error} reset={reset} />;
}
