import http from "node:http";
import { randomInt } from "node:crypto";
import type { Page } from "@playwright/test";
import {
  apiKeysPath,
  catalogPath,
  editEndpointPath,
  endpointActivityPath,
  endpointPath,
  eventTypePath,
  jobsPath,
  newEndpointPath,
  sendEventPath,
  testReceiverPath,
  webhooksPath,
} from "../lib/routes";
import { ADMIN, DEMO_ORG, expect, signIn, test } from "./fixtures";

/**
 * Collects every Content-Security-Policy violation of a page: the `securitypolicyviolation`
 * events (registered before any page script runs) and Chromium's own console reports.
 */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (text.includes("CSP violation") || text.includes("Content Security Policy")) violations.push(`${page.url()}: ${text}`);
  });
  return violations;
}

test.describe("security headers", () => {
  test("every main page renders and runs its scripts under the CSP without a single violation", async ({ page, data }) => {
    // A dozen pages, each rendered cold the first time.
    test.setTimeout(180_000);
    const violations = await watchCsp(page);
    const endpoint = await data.query<{ id: string }>(
      `SELECT e.id FROM "Endpoint" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 AND e."deletedAt" IS NULL LIMIT 1`,
      [DEMO_ORG],
    );
    const eventType = await data.query<{ name: string }>(`SELECT name FROM "EventType" WHERE "archivedAt" IS NULL ORDER BY name LIMIT 1`);
    const endpointId = endpoint.rows[0]!.id;

    const signInPage = await page.goto("/sign-in");
    expect(signInPage?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await signIn(page, ADMIN, webhooksPath(DEMO_ORG));
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

    const pages = [
      webhooksPath(DEMO_ORG),
      newEndpointPath(DEMO_ORG),
      endpointPath(DEMO_ORG, endpointId),
      endpointActivityPath(DEMO_ORG, endpointId),
      editEndpointPath(DEMO_ORG, endpointId),
      catalogPath(DEMO_ORG),
      eventTypePath(DEMO_ORG, eventType.rows[0]!.name),
      apiKeysPath(DEMO_ORG),
      testReceiverPath(DEMO_ORG),
      jobsPath(),
      sendEventPath(DEMO_ORG),
    ];
    for (const path of pages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
      // `goto` waited for the load event: every script of the page has run or been refused by now.
      await expect(page.locator("main").first(), path).toBeVisible();
    }
    // Hydrated: a menu opens, which needs React (Next's scripts and their chunks) to have run.
    await page.getByRole("button", { name: "Account menu" }).click();
    await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("injected markup cannot run script, and the refusal is reported", async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto("/sign-in");
    // What a stored XSS would look like: an inline handler carries no nonce.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", `<img src="/no-such-image.png" onerror="window.__injected = true">`);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  });

  test("pages and API answers carry the headers; the pages' policy forbids framing and eval", async ({ request }) => {
    const pageResponse = await request.get("/sign-in");
    const policy = pageResponse.headers()["content-security-policy"] ?? "";
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    // Next put this request's nonce on its scripts.
    expect(await pageResponse.text()).toContain(`nonce="${nonce}"`);
    // A fresh nonce each time.
    expect((await request.get("/sign-in")).headers()["content-security-policy"]).not.toBe(policy);

    for (const response of [pageResponse, await request.get("/api/health"), await request.post(`/api/v1/app/${DEMO_ORG}/msg`, { data: {} })]) {
      const headers = response.headers();
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["permissions-policy"]).toContain("camera=()");
      expect(headers["x-frame-options"]).toBe("DENY");
      // Served over plain HTTP, and the client's X-Forwarded-Proto is not believed.
      expect(headers["strict-transport-security"]).toBeUndefined();
    }
    const spoofed = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
    expect(spoofed.headers()["strict-transport-security"]).toBeUndefined();
    expect(spoofed.headers()["content-security-policy"]).not.toContain("upgrade-insecure-requests");
  });
});

test.describe("API errors", () => {
  test("other methods answer 405 with the problem shape and Allow", async ({ request }) => {
    const rotate = `/api/v1/app/${DEMO_ORG}/endpoint/ep_0000000000000000000000/secret/rotate`;
    const cases = [
      { method: "GET", url: rotate, allow: "POST, OPTIONS" },
      { method: "PUT", url: rotate, allow: "POST, OPTIONS" },
      { method: "DELETE", url: `/api/v1/app/${DEMO_ORG}/msg`, allow: "GET, POST, OPTIONS" },
      { method: "POST", url: "/api/health", allow: "GET, HEAD, OPTIONS" },
      { method: "PATCH", url: "/api/health", allow: "GET, HEAD, OPTIONS" },
    ];
    for (const { method, url, allow } of cases) {
      const response = await request.fetch(url, { method });
      expect(response.status(), `${method} ${url}`).toBe(405);
      expect(response.headers()["allow"], `${method} ${url}`).toBe(allow);
      expect(response.headers()["content-type"]).toContain("application/json");
      expect(await response.json()).toMatchObject({ code: "method_not_allowed", detail: expect.any(String) });
    }
    const options = await request.fetch(rotate, { method: "OPTIONS" });
    expect(options.status()).toBe(204);
    expect(options.headers()["allow"]).toBe("POST, OPTIONS");
  });

  test("unknown /api/v1 paths answer 404 with the problem shape", async ({ request }) => {
    for (const [method, url] of [
      ["GET", "/api/v1"],
      ["GET", "/api/v1/nothing-here"],
      ["POST", `/api/v1/app/${DEMO_ORG}/endpoint/ep_1/nothing-here`],
      ["DELETE", `/api/v1/app/${DEMO_ORG}/msg/msg_1/nothing-here`],
    ] as const) {
      const response = await request.fetch(url, { method });
      expect(response.status(), `${method} ${url}`).toBe(404);
      expect(await response.json()).toMatchObject({ code: "not_found", detail: expect.stringContaining(url) });
    }
  });
});

/** One HTTP exchange from a chosen loopback source address, as a distinct client would make it. */
function exchange(from: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const url = new URL(path, `http://127.0.0.1:${process.env.E2E_PORT}`);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress: from, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test.describe("sign-in throttling through the running server", () => {
  test("a client sending a different X-Forwarded-For each time is still throttled by its own address", async ({ data }) => {
    // Its own loopback address: the other tests' sign-ins from 127.0.0.1 are not counted with it.
    const from = `127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    await data.query(`DELETE FROM "FailedSignIn" WHERE ip = $1`, [from]);
    try {
      const csrf = await exchange(from, "GET", "/api/auth/csrf", {});
      // As a browser keeps them: the last value of each cookie (the session guard sets one too).
      const jar = new Map((csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!.split(/=(.*)/s) as [string, string]));
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
      const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
      const codes: string[] = [];
      for (let i = 0; i < 12; i++) {
        const form = new URLSearchParams({ csrfToken, email: `spray-${i}-${from}@e2e.test`, password: "guess", callbackUrl: "/" });
        const answer = await exchange(from, "POST", "/api/auth/callback/credentials", {
          cookie,
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-for": `203.0.113.${i + 1}`,
        }, form.toString());
        codes.push(new URL(answer.headers.location ?? "/", "http://x").searchParams.get("code") ?? `status ${answer.status}`);
      }
      expect(codes).toEqual([...Array<string>(10).fill("invalid_credentials"), "too_many_attempts", "too_many_attempts"]);
      const counted = await data.query<{ ip: string }>(`SELECT DISTINCT ip FROM "FailedSignIn" WHERE email LIKE $1`, [`spray-%-${from}@e2e.test`]);
      expect(counted.rows).toEqual([{ ip: from }]);
    } finally {
      await data.query(`DELETE FROM "FailedSignIn" WHERE ip = $1`, [from]);
    }
  });
});
