"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * The origin in the browser's address bar. The server's guess (`requestOrigin`) renders first and
 * is replaced after hydration: a page rendered for a server action's redirect is fetched by Next
 * itself from `localhost`, so only the browser knows for sure.
 */
export function useBrowserOrigin(serverGuess: string): string {
  return useSyncExternalStore(subscribe, () => window.location.origin, () => serverGuess);
}

/** `useBrowserOrigin` as text, with an optional path after it. */
export function BrowserOrigin({ serverGuess, path = "" }: { serverGuess: string; path?: string }) {
  return <>{useBrowserOrigin(serverGuess) + path}</>;
}
