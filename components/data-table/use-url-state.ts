"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition } from "react";

export type UrlUpdates = Record<string, string | null | undefined>;

/** The search param that holds a keyset cursor (see lib/db/keyset.ts). */
export const CURSOR_PARAM = "cursor";

/**
 * A list's view state (filters, sort, cursor) lives in the URL, so a view can be shared and
 * survives a reload. Changing a filter or the sort drops the cursor: a cursor only means something
 * within the view it was issued for.
 *
 * `server: true` navigates, so the page's server component reads the new params and fetches again;
 * otherwise the URL is replaced in place (Next keeps useSearchParams in step) with no round trip,
 * which is right for lists sorted and filtered in the browser.
 */
export function useUrlState() {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  const hrefWith = useCallback(
    (updates: UrlUpdates) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(updates)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      if (!(CURSOR_PARAM in updates)) next.delete(CURSOR_PARAM);
      const query = next.toString();
      return query ? `${pathname}?${query}` : pathname;
    },
    [params, pathname],
  );

  const set = useCallback(
    (updates: UrlUpdates, options: { server?: boolean } = {}) => {
      const href = hrefWith(updates);
      if (options.server) startTransition(() => router.push(href, { scroll: false }));
      // State must not be Next's own history entry: Next treats those calls as its own and skips syncing.
      else window.history.replaceState(null, "", href);
    },
    [hrefWith, router],
  );

  return { get: (key: string) => params.get(key), hrefWith, set, pending };
}
