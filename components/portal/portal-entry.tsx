"use client";

import { Loader2 } from "lucide-react";
import { useEffect, useState } from "react";

type State = { kind: "opening" } | { kind: "failed"; message: string };

/** The token of `#key=<token>` (Svix's link shape), or null. */
function tokenOf(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, "")).get("key");
}

/**
 * Reads the token from the link's fragment, takes it out of the address bar (and so out of
 * history and any later Referer), trades it for the portal cookie and opens the webhook screens.
 */
export function PortalEntry({ sessionPath }: { sessionPath: string }) {
  const [state, setState] = useState<State>({ kind: "opening" });

  useEffect(() => {
    let cancelled = false;
    function open() {
      const token = tokenOf(window.location.hash);
      window.history.replaceState(null, "", window.location.pathname);
      if (!token) {
        setState({ kind: "failed", message: "This address carries no portal link: open the full link you were given (it ends with #key=…)." });
        return;
      }
      setState({ kind: "opening" });
      fetch(sessionPath, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }), credentials: "same-origin" })
        .then(async (response) => {
          const body = (await response.json().catch(() => ({}))) as { location?: string; message?: string };
          if (cancelled) return;
          if (response.ok && body.location) window.location.replace(body.location);
          else setState({ kind: "failed", message: body.message ?? "This portal link could not be opened. Try again in a moment." });
        })
        .catch(() => {
          if (!cancelled) setState({ kind: "failed", message: "The server could not be reached. Check your connection and reload the page." });
        });
    }
    // On arrival, and when another link is opened in this tab (only the fragment changes: no new page load).
    const initial = setTimeout(open, 0);
    window.addEventListener("hashchange", open);
    return () => {
      cancelled = true;
      clearTimeout(initial);
      window.removeEventListener("hashchange", open);
    };
  }, [sessionPath]);

  if (state.kind === "opening") {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
        <Loader2 className="size-4 animate-spin" aria-hidden /> Opening the webhooks portal…
      </p>
    );
  }
  return (
    <div role="alert" className="space-y-1">
      <p className="font-medium">The portal did not open</p>
      <p className="text-sm text-muted-foreground">{state.message}</p>
    </div>
  );
}
