import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * WCAG via axe (`aria-prohibited-attr`): a `div` or `span` without a role may not be named with
 * `aria-label`; screen readers ignore the name. The page audits (e2e/a11y) only see a loading
 * skeleton when they happen to catch a page still streaming, so every such element in the source
 * is checked here: a `<div>` or `<span>` with `aria-label` also has a `role`.
 */
const root = path.resolve(import.meta.dirname, "../..");

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "generated" ? [] : tsxFiles(full);
    return entry.name.endsWith(".tsx") ? [full] : [];
  });
}

describe("aria-label on elements without a role", () => {
  it("no <div> or <span> in components/ or app/ carries aria-label without a role", () => {
    const offenders: string[] = [];
    for (const file of [...tsxFiles(path.join(root, "components")), ...tsxFiles(path.join(root, "app"))]) {
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(/<(div|span)\b((?:[^>{]|\{[^}]*\})*)>/g)) {
        const attributes = match[2] ?? "";
        if (/\baria-label=/.test(attributes) && !/\brole=/.test(attributes)) {
          offenders.push(`${path.relative(root, file)}:${source.slice(0, match.index).split("\n").length}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
