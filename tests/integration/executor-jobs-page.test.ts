import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import JobsPage from "@/app/(dashboard)/platform/jobs/page";
import { db } from "@/lib/db";
import { atUrl } from "@/tests/helpers/app-router";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));

/**
 * A finished run with two memoized steps, written as the executor writes them. Dated in the future
 * and listed under "completed", so it is on the first page whatever other tests of the shared
 * database add meanwhile (jobs-pagination's runs are cancelled ones dated 2099).
 */
async function seedRun(functionId: string) {
  const createdAt = new Date(Date.UTC(2098, 0, 1) + Math.floor(Math.random() * 86_400_000));
  const event = await db.executorEvent.create({
    data: { id: randomUUID(), name: "test/jobs", data: { endpointId: "ep_1" }, ts: BigInt(Date.now()), receivedAt: new Date() },
  });
  return db.executorRun.create({
    data: {
      id: randomUUID(),
      functionId,
      eventId: event.id,
      status: "COMPLETED",
      maxAttempts: 4,
      stepCount: 2,
      createdAt,
      endedAt: new Date(),
      output: { delivered: true },
      steps: {
        create: [
          { seq: 1, hash: "h1", name: "attempt-1", op: "StepRun", data: { status: 500 }, completedAt: new Date() },
          { seq: 2, hash: "h2", name: "wait-5s", op: "Sleep", data: undefined, completedAt: new Date() },
        ],
      },
    },
  });
}

const page = async (searchParams: Record<string, string> = {}) =>
  atUrl(await JobsPage({ searchParams: Promise.resolve(searchParams) }), "/platform/jobs", searchParams);

describe("Jobs page", () => {
  it("is not found for members who are not platform staff", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "OWNER")).id);
    await expect(page()).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
  });

  it("lists runs with status, function, event and attempts, and shows a run's steps to staff", async () => {
    const org = await createOrg();
    signInAs((await createMember(org.id, "VIEWER", { isStaff: true })).id);
    const run = await seedRun(`jobs-${randomUUID().slice(0, 8)}`);
    const list = renderToStaticMarkup(await page({ status: "COMPLETED" }));
    expect(list).toContain(run.functionId);
    expect(list).toContain("test/jobs");
    expect(list).toContain("completed");
    const detail = renderToStaticMarkup(await page({ run: run.id }));
    expect(detail).toContain("attempt-1");
    expect(detail).toContain("wait-5s");
    expect(detail.indexOf("attempt-1")).toBeLessThan(detail.indexOf("wait-5s"));
  });
});
