import type { Metadata } from "next";
import { GeistMono } from "geist/font/mono";
import { headers } from "next/headers";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "HookRelay", template: "%s · HookRelay" },
  description: "Self-hosted webhook delivery with an admin dashboard",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Set by proxy.ts for this request; reading it also renders every page per request, which a
  // per-request nonce requires.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // Ids, keys and links are read character by character: a shipped mono font renders `_` and `l1I0O`
    // the same on every machine, where a system fallback may clip the underscore.
    <html lang="en" className={GeistMono.variable} suppressHydrationWarning>
      <body className="min-h-screen bg-background font-sans text-foreground antialiased">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
