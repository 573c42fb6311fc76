import { existsSync } from "node:fs";

/** Flags for Chromium under Playwright: headless, no sandbox (root in CI), no background traffic. */
const SYSTEM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for the log. */
  source: string;
}

/**
 * The Chromium the end-to-end tests drive: CHROMIUM_PATH when it names a file, else Debian's
 * /usr/bin/chromium, else the one shipped inside the @sparticuz/chromium npm package (unpacked into
 * the OS temp folder on first use), so that a machine with only Node still runs the browser suite.
 */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const given = process.env.CHROMIUM_PATH;
  if (given && existsSync(given)) return { executablePath: given, args: SYSTEM_ARGS, source: `CHROMIUM_PATH (${given})` };
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: SYSTEM_ARGS, source: DEBIAN_CHROMIUM };
  const { default: packaged } = await import("@sparticuz/chromium");
  return {
    executablePath: await packaged.executablePath(),
    // Not the package's own flags: made for one page per process, its --single-process closes the
    // browser with the first context, and Playwright opens a context per test.
    args: SYSTEM_ARGS,
    source: `@sparticuz/chromium${given ? ` (CHROMIUM_PATH ${given} does not exist)` : ""}`,
  };
}
