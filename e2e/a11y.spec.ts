import AxeBuilder from "@axe-core/playwright";
import type { Browser, Locator, Page } from "@playwright/test";
import { SEED_CATALOG } from "../lib/catalog/seed-catalog";
import { expect, signIn, test, type E2eData } from "./fixtures";
import { createKey, startReceiver, svix } from "./sdk";

/**
 * axe-core against every page of the dashboard, the portal and the platform (each `app/**\/page.tsx`,
 * detail pages with ids seeded below), at desktop and phone widths, in the light and the dark theme:
 * no violation of WCAG 2.0/2.1 A and AA. No rule is disabled and no element excluded.
 */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const webhooks = (org: string) => `/${org}/settings/integrations/webhooks`;

const VIEWPORTS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

/** One line per violated rule and element, so a failure lists everything to fix at once. */
type Finding = string;

async function audit(page: Page, label: string): Promise<Finding[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${label} | ${v.id} (${v.impact ?? "?"}) | ${n.target.join(" ")} | ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`));
}

/** Opens `path` and waits until the page (streamed to its end: `load`) shows its main landmark in the theme under test. */
async function open(page: Page, path: string, theme: Theme, landsOn = path) {
  const response = await page.goto(path, { waitUntil: "load" });
  // The page itself, not a sign-in redirect or a "not found" screen, is what gets audited.
  expect(response?.status(), path).toBe(200);
  expect(new URL(page.url()).pathname, path).toBe(landsOn.split("?")[0]);
  await expect(page.locator("main").first()).toBeVisible();
  // next-themes sets the class on <html> from its storage key before the first paint.
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}

/** next-themes reads its choice from localStorage["theme"]: set before any page script runs. */
async function newPage(browser: Browser, viewport: { width: number; height: number }, theme: Theme) {
  const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
  await context.addInitScript((value) => window.localStorage.setItem("theme", value), theme);
  return { context, page: await context.newPage() };
}

/** An organization with an endpoint, a message, a staff owner and an invite. */
async function seed(data: E2eData, receiverUrl: string) {
  const org = await data.createOrg({ webhooksEnabled: true });
  const owner = await data.member(org.slug, "OWNER", { isStaff: true });
  const client = svix(await createKey(data, org.id, "a11y"));
  const endpoint = await client.endpoint.create(org.slug, { url: receiverUrl, description: "Billing system", eventTypes: ["contract.created"] });
  const message = await client.message.create(org.slug, { eventType: "contract.created", payload: SEED_CATALOG.find((t) => t.name === "contract.created")!.examples[0]!.payload });
  const invite = await data.createInvite(org.slug, `invitee-${org.slug}@e2e.test`, "VIEWER");
  return { org, owner, client, endpoint, message, invite };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** An operator endpoint and its operational message about a new customer endpoint (deleted by `remove`). */
async function seedOperator(data: E2eData, s: Seeded, receiverUrl: string) {
  const platform = svix(await createKey(data, null, "a11y platform"));
  const operator = await platform.operationalWebhook.endpoint.create({ url: `${receiverUrl}/ops`, description: "a11y operator", eventTypes: ["endpoint.created"] });
  const remove = () => platform.operationalWebhook.endpoint.delete(operator.id).catch(() => {});
  try {
    const customer = await s.client.endpoint.create(s.org.slug, { url: `${receiverUrl}/second`, eventTypes: ["contract.created"] });
    let messageId: string | undefined;
    await expect
      .poll(async () => {
        const { rows } = await data.query<{ id: string }>(`SELECT id FROM "Message" WHERE "organizationId" = '_platform' AND body LIKE $1`, [`%${customer.id}%`]);
        messageId = rows[0]?.id;
        return messageId;
      }, { timeout: 30_000 })
      .toBeTruthy();
    return { id: operator.id, messageId: messageId!, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

interface DialogCase {
  path: string;
  /** Opens the page's main dialog (or menu) and returns it, visible. */
  show: (page: Page) => Promise<Locator>;
}

const button = (name: string) => async (page: Page) => {
  await page.getByRole("button", { name, exact: true }).first().click();
  return page.getByRole("dialog");
};

/** The first seven of `organizationPages`: the overview and the endpoint's pages. */
const ENDPOINT_PAGES = 7;

function organizationPages(s: Seeded) {
  const w = webhooks(s.org.slug);
  const ep = `${w}/endpoints/${s.endpoint.id}`;
  return [
    w,
    `${w}/endpoints/new`,
    ep,
    `${ep}/activity`,
    `${ep}/attempts`,
    `${ep}/edit`,
    `${ep}/testing`,
    `${w}/messages`,
    `${w}/messages/${s.message.id}`,
    `${w}/catalog`,
    `${w}/catalog/contract.created`,
    `${w}/receiver`,
    `/${s.org.slug}/settings/api-keys`,
    `/${s.org.slug}/settings/api-reference`,
    `/${s.org.slug}/settings/members`,
    `/${s.org.slug}/settings/portal`,
    "/account",
    `${w}/overview`,
  ];
}

/** The dialogs (and the one menu) that are an organization page's main action, each audited open. */
function organizationDialogs(s: Seeded, phone: boolean): DialogCase[] {
  const w = webhooks(s.org.slug);
  const cases: DialogCase[] = [
    { path: `/${s.org.slug}/settings/members`, show: button("Invite member") },
    { path: `/${s.org.slug}/settings/api-keys`, show: button("New organization key") },
    {
      path: `${w}/endpoints/${s.endpoint.id}`,
      show: async (page) => {
        await page.getByRole("button", { name: "Recover" }).click();
        return page.getByRole("menu");
      },
    },
    {
      path: `${w}/endpoints/${s.endpoint.id}`,
      show: async (page) => {
        await page.getByRole("button", { name: "Recover" }).click();
        await page.getByRole("menuitem", { name: "Resend failed messages" }).click();
        return page.getByTestId("recovery-dialog");
      },
    },
    {
      path: `${w}/messages?endpoint=${s.endpoint.id}`,
      show: async (page) => {
        await page.getByTestId("bulk-resend").click();
        return page.getByTestId("bulk-resend-dialog");
      },
    },
  ];
  if (phone) cases.push({ path: w, show: button("Open navigation") });
  return cases;
}

function platformPages(operator: { id: string; messageId: string }) {
  return [
    "/platform",
    "/platform/audit",
    "/platform/catalog",
    "/platform/catalog/new",
    "/platform/catalog/contract.created/edit",
    "/platform/jobs",
    "/platform/operational-webhooks",
    `/platform/operational-webhooks/${operator.id}`,
    `/platform/operational-webhooks/${operator.id}/messages/${operator.messageId}`,
    "/platform/organizations",
    "/platform/send-event",
  ];
}

const PLATFORM_DIALOGS: DialogCase[] = [
  { path: "/platform/organizations", show: button("Create organization") },
  { path: "/platform/operational-webhooks", show: button("Add operator endpoint") },
];

/**
 * Pages that change on their own after load: audited once they have settled, so axe does not read a
 * control between two states (its rule matched an enabled button, then measured it still at 50 % opacity).
 */
async function settle(page: Page, path: string) {
  if (path.endsWith("/testing")) {
    // The example payload is checked against its schema (debounced, on the server); Send is enabled after.
    await expect(page.getByText(/Matches the schema of /)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "Send example" })).toBeEnabled();
  }
}

async function auditPages(page: Page, theme: Theme, at: string, paths: string[]) {
  const findings: Finding[] = [];
  for (const path of paths) {
    await open(page, path, theme);
    await settle(page, path);
    findings.push(...(await audit(page, `${at} ${path}`)));
  }
  return findings;
}

async function auditDialogs(page: Page, theme: Theme, at: string, cases: DialogCase[]) {
  const findings: Finding[] = [];
  for (const [i, dialog] of cases.entries()) {
    await open(page, dialog.path, theme);
    // A click that lands before hydration opens nothing: close whatever opened and try again.
    await expect(async () => {
      if ((await page.getByRole("dialog").or(page.getByRole("menu")).count()) > 0) await page.keyboard.press("Escape");
      await expect(await dialog.show(page)).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 30_000 });
    findings.push(...(await audit(page, `${at} ${dialog.path} dialog #${i + 1}`)));
  }
  return findings;
}

/** Signs a staff owner in and waits for the dashboard, so what follows is audited signed in. */
async function signedIn(browser: Browser, viewport: { width: number; height: number }, theme: Theme, s: Seeded) {
  const opened = await newPage(browser, viewport, theme);
  await signIn(opened.page, s.owner, webhooks(s.org.slug));
  await expect(opened.page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  return opened;
}

// Twenty independent tests (each seeds its own data), so two workers share them and no single one runs long.
test.describe.configure({ mode: "parallel" });

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    const at = `${viewport.name}/${theme}`;
    const phone = viewport.width < 768;

    test.describe(`${viewport.name} px, ${theme}: no WCAG 2.1 A/AA violation`, () => {
      // Each test renders and audits up to twenty screens on a shared 2-core machine: a bound, not a target.
      test.beforeEach(() => test.setTimeout(300_000));

      test("signed out, the portal, and an account with no organization", async ({ browser, data }) => {
        const receiver = await startReceiver();
        const findings: Finding[] = [];
        try {
          const s = await seed(data, receiver.url);
          {
            const { context, page } = await newPage(browser, viewport, theme);
            findings.push(...(await auditPages(page, theme, at, ["/sign-in", s.invite, `/portal/${s.org.id}`, `/portal/${s.org.id}/ended`])));
            await context.close();
          }
          {
            // The portal, entered through a link from the API.
            const { context, page } = await newPage(browser, viewport, theme);
            const { url } = await svix(await createKey(data, s.org.id, "a11y portal")).authentication.appPortalAccess(s.org.slug, {});
            await page.goto(url);
            await expect(page.getByText("Billing system").first()).toBeVisible();
            findings.push(...(await audit(page, `${at} portal ${webhooks(s.org.slug)}`)));
            const w = webhooks(s.org.slug);
            findings.push(...(await auditPages(page, theme, `${at} portal`, [`${w}/endpoints/${s.endpoint.id}`, `${w}/messages`, `${w}/messages/${s.message.id}`])));
            await context.close();
          }
          {
            const { context, page } = await newPage(browser, viewport, theme);
            await signIn(page, await data.createAccount(), "/");
            await expect(page.getByRole("heading", { name: "No organization yet" })).toBeVisible();
            findings.push(...(await audit(page, `${at} / (no organization)`)));
            await context.close();
          }
        } finally {
          await receiver.close();
        }
        expect(findings).toEqual([]);
      });

      // The organization's pages (in two halves) and its dialogs are separate tests, so none runs long on a loaded machine.
      for (const part of ["endpoint pages", "other pages", "dialogs"] as const) {
        test(`the organization's ${part}`, async ({ browser, data }) => {
          const receiver = await startReceiver();
          const findings: Finding[] = [];
          try {
            const s = await seed(data, receiver.url);
            const { context, page } = await signedIn(browser, viewport, theme, s);
            if (part === "endpoint pages") {
              // A page that only redirects: it must land where it says.
              await open(page, `/${s.org.slug}`, theme, webhooks(s.org.slug));
              findings.push(...(await auditPages(page, theme, at, organizationPages(s).slice(0, ENDPOINT_PAGES))));
            } else if (part === "other pages") {
              findings.push(...(await auditPages(page, theme, at, organizationPages(s).slice(ENDPOINT_PAGES))));
            } else {
              findings.push(...(await auditDialogs(page, theme, at, organizationDialogs(s, phone))));
            }
            await context.close();
          } finally {
            await receiver.close();
          }
          expect(findings).toEqual([]);
        });
      }

      test("the platform's pages and their dialogs", async ({ browser, data }) => {
        const receiver = await startReceiver();
        const findings: Finding[] = [];
        try {
          const s = await seed(data, receiver.url);
          const operator = await seedOperator(data, s, receiver.url);
          try {
            const { context, page } = await signedIn(browser, viewport, theme, s);
            findings.push(...(await auditPages(page, theme, at, platformPages(operator))));
            findings.push(...(await auditDialogs(page, theme, at, PLATFORM_DIALOGS)));
            await context.close();
          } finally {
            await operator.remove();
          }
        } finally {
          await receiver.close();
        }
        expect(findings).toEqual([]);
      });
    });
  }
}
