import type { APIRequestContext, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

const reference = (org: string) => `/${org}/settings/api-reference`;
const apiKeys = (org: string) => `/${org}/settings/api-keys`;
/** A bound for a page load beside the other end-to-end worker on 2 shared cores, not a speed target. */
const REFERENCE_RENDER_MS = 30_000;
/** The budget of the page's first HTML (issue 21): the index of every operation and one section, without tables. */
const FIRST_HTML_BYTES = 300 * 1024;

interface DocumentOperation {
  operationId: string;
  summary: string;
  tag: string;
}

/** Every operation of the served document: what the page must list, read independently of the page's own code. */
async function documentOperations(request: APIRequestContext): Promise<DocumentOperation[]> {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = (await response.json()) as { paths: Record<string, Record<string, { operationId: string; summary: string; tags: string[] }>> };
  return Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => ({ operationId: op.operationId, summary: op.summary, tag: op.tags[0]! })));
}

const operationCards = (page: Page) => page.getByTestId("operation");
const contentsOf = (page: Page) => page.getByRole("navigation", { name: "API reference contents" });
const indexEntries = (page: Page) => contentsOf(page).getByTestId("index-operation");
/** An operation's tables are fetched when it is opened: its disclosure is the card's `summary`. */
const openTables = (card: ReturnType<Page["locator"]>) => card.locator("summary").click();

test.describe("API reference", () => {
  test("a viewer reads every operation of /api/v1/openapi.json, from the navigation", async ({ page, request, data }) => {
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    const operations = await documentOperations(request);
    expect(operations.length).toBeGreaterThan(2);

    await signIn(page, viewer, apiKeys(org.slug));
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API reference" }).click();
    await expect(page).toHaveURL(new RegExp(`${reference(org.slug)}$`));
    await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible({ timeout: REFERENCE_RENDER_MS });

    // The index lists every operation, under its section; the page shows one section at a time.
    await expect(indexEntries(page)).toHaveCount(operations.length);
    const contents = contentsOf(page);
    for (const op of operations) await expect(contents.locator(`a[href$="#${op.operationId}"]`)).toContainText(op.summary);
    const tags = [...new Set(operations.map((op) => op.tag))];
    for (const tag of tags) {
      await contents.getByRole("link", { name: tag, exact: true }).click();
      await expect(page.getByRole("heading", { name: tag, level: 2, exact: true })).toBeVisible({ timeout: REFERENCE_RENDER_MS });
      const inSection = operations.filter((op) => op.tag === tag);
      await expect(operationCards(page)).toHaveCount(inSection.length);
      const shownIds = await page.getByTestId("operation-id").allTextContents();
      expect([...shownIds].sort()).toEqual(inSection.map((op) => op.operationId).sort());
      for (const op of inSection) {
        const card = operationCards(page).filter({ has: page.getByTestId("operation-id").getByText(op.operationId, { exact: true }) });
        await expect(card.getByRole("heading", { name: op.summary, level: 3 })).toBeVisible();
      }
    }

    await contents.getByRole("link", { name: "Message", exact: true }).click();
    // Message create: the body, the answer and who may call it, from the schemas.
    const create = operationCards(page).filter({ has: page.getByText("v1.message.create", { exact: true }) });
    await openTables(create);
    await expect(create).toContainText("POST");
    await expect(create).toContainText("/api/v1/app/{app_id}/msg");
    await expect(create).toContainText("An organization key for this application, or a platform key.");
    await expect(create.getByRole("heading", { name: /Request body/ })).toContainText("MessageIn");
    await expect(create.getByTestId("field-eventType").first()).toContainText("required");
    await expect(create.getByRole("heading", { name: /Response 202/ })).toBeVisible();
    await expect(create.getByTestId("field-deliveries.total")).toContainText("integer");
    await expect(create.getByText("429", { exact: true })).toBeVisible();

    const download = page.getByRole("link", { name: "Download openapi.json" });
    await expect(download).toHaveAttribute("href", "/api/v1/openapi.json");
  });

  test("the filter narrows operations and the contents, and says when nothing matches", async ({ page, request, data }) => {
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    const operations = await documentOperations(request);
    const health = operations.filter((op) => op.tag === "Health");
    await signIn(page, viewer, reference(org.slug));

    const filter = page.getByRole("searchbox", { name: "Filter operations" });
    await filter.fill("health");
    await expect(page).toHaveURL(/[?&]q=health/);
    await expect(indexEntries(page)).toHaveCount(operations.filter((op) => `${op.operationId} ${op.summary}`.toLowerCase().includes("health")).length);
    const contents = contentsOf(page);
    await expect(contents.getByRole("link", { name: "Health", exact: true })).toBeVisible();
    await expect(contents.getByRole("link", { name: "Message", exact: true })).toBeHidden();
    await expect(contents.getByRole("link", { name: /Create message/ })).toBeHidden();

    await filter.fill("post msg");
    await expect(contents.locator('a[href$="#v1.message.create"]')).toBeVisible();

    await filter.fill("no-such-operation");
    await expect(page.getByText("No operations match")).toBeVisible();
    await expect(indexEntries(page)).toHaveCount(0);

    await filter.fill("");
    await expect(indexEntries(page)).toHaveCount(operations.length);
    expect(health.length).toBeGreaterThan(0);

    // A result in another section opens that section at the operation.
    await filter.fill("rotate secret");
    await contents.getByRole("link", { name: /Rotate endpoint secret/ }).click();
    await expect(page).toHaveURL(/[?&]section=tag-Endpoint(&[^#]*)?#v1\.endpoint\.rotate-secret$/);
    await expect(page.getByRole("heading", { name: "Rotate endpoint secret", level: 3 })).toBeInViewport();

    // A filtered view survives a reload: the query is in the URL.
    await page.goto(`${reference(org.slug)}?q=openapi`);
    await expect(page.getByRole("searchbox", { name: "Filter operations" })).toHaveValue("openapi");
    await expect(indexEntries(page)).toHaveCount(1);
    await expect(indexEntries(page)).toHaveAttribute("href", /#v1\.openapi\.get$/);
  });

  test("keyboard: Tab goes from the filter to the contents, Enter jumps to an operation", async ({ page, data }) => {
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    await signIn(page, viewer, reference(org.slug));

    await page.getByRole("searchbox", { name: "Filter operations" }).focus();
    await page.keyboard.type("create message");
    const contents = page.getByRole("navigation", { name: "API reference contents" });
    const target = contents.getByRole("link", { name: /Create message/ });
    for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(target).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#v1\.message\.create$/);
    await expect(page.getByRole("heading", { name: "Create message", level: 3 })).toBeInViewport();
  });

  test("at 390 px the contents fold above the operations and nothing scrolls sideways", async ({ page, data }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    await signIn(page, viewer, reference(org.slug));
    await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible({ timeout: REFERENCE_RENDER_MS });

    const contents = page.getByRole("navigation", { name: "API reference contents" });
    await expect(contents).toBeHidden();
    await page.getByText("Contents", { exact: true }).click();
    await contents.getByRole("link", { name: /Create message/ }).click();
    await expect(page.getByRole("heading", { name: "Create message", level: 3 })).toBeInViewport();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBe(innerWidth);
  });
});

test.describe("API reference: the first HTML and links to an operation", () => {
  test(`the page's first HTML stays under ${FIRST_HTML_BYTES / 1024} KB for every section`, async ({ page, data }) => {
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    await signIn(page, viewer, reference(org.slug));
    await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible({ timeout: REFERENCE_RENDER_MS });
    const sectionPages = await contentsOf(page)
      .locator('a[href*="section="]')
      .evaluateAll((links) => [...new Set(links.map((a) => (a as HTMLAnchorElement).href.split("#")[0]!))]);
    expect(sectionPages.length).toBeGreaterThan(2);
    for (const url of [reference(org.slug), ...sectionPages]) {
      // The session's cookies, as the browser sends them; the body is the whole streamed document.
      const response = await page.request.get(url);
      expect(response.status()).toBe(200);
      expect((await response.body()).length, url).toBeLessThan(FIRST_HTML_BYTES);
    }
  });

  test("a link to an operation in a later section opens that section at the operation, with its tables", async ({ page, request, data }) => {
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    const operations = await documentOperations(request);
    const [first] = operations;
    const create = operations.find((op) => op.operationId === "v1.message.create")!;
    expect(create.tag).not.toBe(first!.tag);

    await signIn(page, viewer, apiKeys(org.slug));
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    await page.goto(`${reference(org.slug)}#v1.message.create`);
    await expect(page).toHaveURL(/[?&]section=tag-Message#v1\.message\.create$/);
    await expect(page.getByRole("heading", { name: "Message", level: 2, exact: true })).toBeVisible({ timeout: REFERENCE_RENDER_MS });
    await expect(operationCards(page)).toHaveCount(operations.filter((op) => op.tag === create.tag).length);
    const card = operationCards(page).filter({ has: page.getByText("v1.message.create", { exact: true }) });
    await expect(card.getByRole("heading", { name: "Create message", level: 3 })).toBeInViewport();
    await expect(card.getByRole("heading", { name: /Request body/ })).toContainText("MessageIn");
    await expect(card.getByTestId("field-eventType").first()).toContainText("required");
    await expect(card.getByTestId("field-deliveries.total")).toContainText("integer");

    // Keyboard: another operation's tables open from its disclosure with Enter.
    const list = operationCards(page).filter({ has: page.getByText("v1.message.list", { exact: true }) });
    await list.locator("summary").focus();
    await page.keyboard.press("Enter");
    await expect(list.getByRole("heading", { name: "Query parameters" })).toBeVisible();
  });
});

test.describe("SDK snippet on the API keys page", () => {
  test("shows the organization's slug and this server's URL, copies, and links to the reference and back", async ({ page, context, data, baseURL }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const org = await data.createOrg();
    const viewer = await data.member(org.slug, "VIEWER");
    await signIn(page, viewer, apiKeys(org.slug));

    const snippet = page.getByTestId("sdk-snippet");
    await expect(snippet.getByRole("heading", { name: "Send events with the SDK" })).toBeVisible();
    await expect(snippet.getByTestId("sdk-install")).toContainText("npm install svix");
    const example = snippet.getByTestId("sdk-example");
    await expect(example).toContainText(`new Svix("<your API key>", {`);
    await expect(example).toContainText(`serverUrl: "${baseURL}",`);
    await expect(example).toContainText(`svix.message.create("${org.slug}", {`);
    await expect(example).toContainText(/eventType: "[a-z_]+\.[a-z_.]+"/);
    await expect(example).not.toContainText(/hr_(org|plat)_/);

    await example.getByRole("button", { name: "Copy example" }).click();
    await expect(page.getByText("Copied to the clipboard")).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`svix.message.create("${org.slug}", {`);
    expect(copied).toBe(await example.locator("pre").innerText());

    await snippet.getByRole("link", { name: "API reference" }).click();
    await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible({ timeout: REFERENCE_RENDER_MS });
    await page.getByRole("link", { name: "API keys and SDK example" }).click();
    await expect(page).toHaveURL(new RegExp(`${apiKeys(org.slug)}#sdk$`));
    await expect(snippet.getByRole("heading", { name: "Send events with the SDK" })).toBeInViewport();
  });

  test("the new-key dialog offers the example with the new key filled in, once", async ({ page, data, baseURL }) => {
    const org = await data.createOrg();
    const admin = await data.member(org.slug, "ADMIN");
    await signIn(page, admin, apiKeys(org.slug));
    await page.getByTestId("api-keys-organization").getByRole("button", { name: "New organization key" }).click();
    await page.getByLabel("Name").fill("SDK example");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = await page.getByTestId("new-api-key").inputValue();
    expect(key).toMatch(/^hr_org_/);
    await page.getByText("Try it with the SDK").click();
    const example = page.getByTestId("new-key-sdk-example");
    await expect(example).toContainText(`new Svix(${JSON.stringify(key)}, {`);
    await expect(example).toContainText(`serverUrl: "${baseURL}",`);
    await expect(example).toContainText(`svix.message.create("${org.slug}", {`);
    await page.getByRole("button", { name: "Done" }).click();
    // The page's own example never carries a key.
    await expect(page.getByTestId("sdk-example")).not.toContainText(key);
  });
});
