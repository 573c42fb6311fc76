import net from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createInviteAction } from "@/actions/members";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { findInvite } from "@/lib/members/invites";
import { signInAs } from "@/tests/helpers/auth-mock";
import { createMember, createOrg } from "@/tests/helpers/factories";
import { captureLogs } from "@/tests/helpers/log-capture";

/**
 * Invites by e-mail when SMTP_URL is set: a real SMTP conversation with a server on 127.0.0.1.
 * The environment is read once per process, so this file sets SMTP_URL before anything reads it.
 */
const smtp = await vi.hoisted(async () => {
  const { startSmtpServer: start } = await import("@/tests/helpers/smtp-server");
  const server = await start();
  process.env.SMTP_URL = `smtp://127.0.0.1:${server.port}`;
  process.env.SMTP_FROM = "HookRelay Test <hooks@example.test>";
  return server;
});

vi.mock("@/auth", () => import("@/tests/helpers/auth-mock"));
vi.mock("next/cache", () => import("@/tests/helpers/next-mocks"));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "hooks.example.test", "x-forwarded-proto": "https" }) }));

afterAll(() => smtp.close());

async function ownedOrg() {
  const org = await createOrg({ name: "Mail Co" });
  signInAs((await createMember(org.id, "OWNER")).id);
  return org;
}

describe("invites by e-mail", () => {
  it("e-mails the link to the invited address and says so", async () => {
    const org = await ownedOrg();
    const result = await createInviteAction({ org: org.slug, email: "mia@example.test", role: "ADMIN" });
    expect(result).toMatchObject({ ok: true, data: { mail: "sent", email: "mia@example.test" } });
    if (!result.ok) return;
    expect(result.data.url).toMatch(/^https:\/\/hooks\.example\.test\/invite\/inv_/);
    const message = smtp.messages.find((m) => m.to.some((t) => t.includes("mia@example.test")));
    expect(message).toBeDefined();
    expect(message!.from).toContain("hooks@example.test");
    expect(message!.data).toMatch(/Subject: You are invited to Mail Co on HookRelay/);
    // Quoted-printable may wrap the link; unwrap soft line breaks before looking for it.
    expect(message!.data.replace(/=\r\n/g, "").replace(/=3D/g, "=")).toContain(result.data.url);
  });

  it("still creates the invite, and says the mail failed, when the mail server refuses the connection", async () => {
    const org = await ownedOrg();
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    // The environment as read at start, pointed at a port where nothing listens for this one test.
    const settings = env();
    const original = settings.SMTP_URL;
    settings.SMTP_URL = `smtp://127.0.0.1:${closed}`;
    const logs = captureLogs();
    try {
      const result = await createInviteAction({ org: org.slug, email: "nomail@example.test", role: "VIEWER" });
      expect(result).toMatchObject({ ok: true, data: { mail: "failed" } });
      if (!result.ok) return;
      const token = decodeURIComponent(result.data.url.split("/invite/")[1]!);
      await expect(findInvite(token)).resolves.toMatchObject({ ok: true, invite: { email: "nomail@example.test" } });
      // The log names the failure, never the link (a credential).
      expect(logs.errors()).toContainEqual(expect.objectContaining({ msg: "[mail] invite mail failed", to: "nomail@example.test" }));
      expect(JSON.stringify(logs.lines)).not.toContain(token);
    } finally {
      settings.SMTP_URL = original;
      logs.restore();
    }
    expect(await db.invite.count({ where: { organizationId: org.id } })).toBe(1);
  });
});
