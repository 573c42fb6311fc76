"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";

/** How often unfinished rows, and the count of newer rows, are refreshed while the tab is visible. */
export const LIVE_MS = 5_000;

export interface NewerCount {
  count: number;
  /** More than `count` arrived (the server stops counting at a bound). */
  more: boolean;
}

interface LiveAnswer<T> {
  rows: Record<string, T>;
  newer: NewerCount;
}

/**
 * A keyset list's live updates (react-query): the rows on screen that are still changing (`watched`
 * ids) are re-read from `livePath`, and rows newer than the newest one shown (`newestAnchor`, a
 * `prev` cursor, only on the first page) are counted with the view's filters, to be announced
 * instead of pushing the rows being read down. Nothing polls while the tab is hidden or when there
 * is nothing to watch; coming back to the tab refetches at once.
 */
export function useLiveRows<T>({ livePath, watched, newestAnchor }: { livePath: string; watched: string[]; newestAnchor: string | null }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const live = useQuery({
    queryKey: ["live-rows", livePath, params.toString(), watched.join(","), newestAnchor],
    queryFn: async (): Promise<LiveAnswer<T>> => {
      const query = new URLSearchParams(params.toString());
      query.delete("cursor");
      for (const id of watched) query.append("ids", id);
      if (newestAnchor) query.set("after", newestAnchor);
      const response = await fetch(`${livePath}?${query.toString()}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`live updates answered ${response.status}`);
      return (await response.json()) as LiveAnswer<T>;
    },
    enabled: watched.length > 0 || newestAnchor !== null,
    refetchInterval: LIVE_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });

  /** Back to the first page of the same view, re-rendered on the server. */
  function showNewer() {
    const query = new URLSearchParams(params.toString());
    query.delete("cursor");
    const href = query.toString() ? `${pathname}?${query.toString()}` : pathname;
    router.push(href, { scroll: false });
    router.refresh();
  }

  return { fresh: live.data?.rows, newer: live.data?.newer, showNewer };
}

/** "3 new messages: show" above a live list; an empty live region otherwise, so the announcement is read when it appears. */
export function NewerNotice({ newer, noun, onShow, testId }: { newer: NewerCount | undefined; noun: string; onShow: () => void; testId: string }) {
  if (!newer || newer.count === 0) return <div role="status" className="sr-only" />;
  const plural = newer.count !== 1 || newer.more;
  return (
    <div role="status" className="flex justify-center">
      <Button variant="secondary" size="sm" onClick={onShow} data-testid={testId}>
        {newer.more ? `${newer.count}+` : newer.count} new {noun}
        {plural ? "s" : ""}: show
      </Button>
    </div>
  );
}
