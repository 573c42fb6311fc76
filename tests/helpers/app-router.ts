import { createElement, type ReactNode } from "react";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { PathnameContext, SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";

/**
 * Renders a server page's output outside Next: client components that read the URL
 * (useSearchParams, usePathname, useRouter) get the address the page was asked for. A static render
 * never navigates, so the router refuses to.
 */
export function atUrl(node: ReactNode, pathname: string, searchParams: Record<string, string> = {}) {
  const refuse = () => {
    throw new Error("a static render cannot navigate");
  };
  const router: AppRouterInstance = { bfcacheId: "static", back: refuse, forward: refuse, refresh: refuse, push: refuse, replace: refuse, prefetch: refuse };
  return createElement(
    AppRouterContext.Provider,
    { value: router },
    createElement(PathnameContext.Provider, { value: pathname }, createElement(SearchParamsContext.Provider, { value: new URLSearchParams(searchParams) }, node)),
  );
}
