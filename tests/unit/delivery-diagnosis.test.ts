import { describe, expect, it } from "vitest";
import { diagnose, ERROR_KIND_LABELS } from "@/lib/delivery/diagnosis";
import { summariseOutcome } from "@/lib/delivery/outcome";

const options = { timeoutMs: 15_000 };
const failed = (facts: Partial<Parameters<typeof diagnose>[0]>) => diagnose({ succeeded: false, durationMs: 5, ...facts }, options);

describe("an attempt's outcome as a sentence", () => {
  it("names the status of a success and how long it took", () => {
    expect(diagnose({ succeeded: true, statusCode: 204, durationMs: 12 }, options)).toEqual({ tone: "success", label: "HTTP 204", sentence: "Delivered: HTTP 204 No Content in 12 ms" });
  });

  it("states the timeout the attempt ran with, in seconds", () => {
    expect(failed({ errorKind: "timeout", errorMessage: "no complete response within 15000 ms" })).toEqual({
      tone: "failure",
      label: "Timed out",
      sentence: "Timed out: no complete response within 15 s",
    });
    expect(failed({ errorKind: "timeout", errorMessage: "no complete response within 90000 ms" }).sentence).toBe("Timed out: no complete response within 1 min 30 s");
    expect(failed({ errorKind: "timeout", errorMessage: "socket hang" }).sentence).toBe("Timed out: no complete response within 15 s");
    expect(failed({ errorKind: "timeout", statusCode: 200, errorMessage: "no complete response within 2500 ms" }).sentence).toBe(
      "Timed out: HTTP 200 arrived but its body was not complete within 2500 ms",
    );
  });

  it("tells refused, reset and non-HTTP answers apart", () => {
    expect(failed({ errorKind: "connection_refused", errorMessage: "connect ECONNREFUSED 127.0.0.1:9" }).sentence).toMatch(/^Connection refused/);
    expect(failed({ errorKind: "connection_reset", errorMessage: "socket hang up" }).sentence).toBe("Connection reset by the receiver before a complete response");
    expect(failed({ errorKind: "not_http", errorMessage: "Parse Error: Expected HTTP/" }).sentence).toBe(
      "The receiver answered with something that is not HTTP (Parse Error: Expected HTTP/)",
    );
  });

  it("gives the redirect's target and says redirects are never followed", () => {
    expect(failed({ errorKind: "redirect", statusCode: 302, errorMessage: "HTTP 302 redirect to /elsewhere not followed", responseHeaders: { location: "https://new.example/in" } })).toEqual({
      tone: "failure",
      label: "Redirect 302",
      sentence: "HTTP 302 redirect to https://new.example/in not followed (redirects are never followed)",
    });
    expect(failed({ errorKind: "redirect", statusCode: 301, errorMessage: "HTTP 301 redirect to /moved not followed" }).sentence).toBe(
      "HTTP 301 redirect to /moved not followed (redirects are never followed)",
    );
    expect(failed({ errorKind: "redirect", statusCode: 307, errorMessage: "HTTP 307 redirect not followed" }).sentence).toBe("HTTP 307 redirect not followed (redirects are never followed)");
  });

  it("explains the request-forgery refusal with the address", () => {
    expect(failed({ errorKind: "ssrf_blocked", errorMessage: "refused to connect to 10.0.0.1: private addresses are not allowed (WEBHOOK_ALLOWED_CIDRS)" }).sentence).toBe(
      "Refused: the address is internal (request-forgery protection) (refused to connect to 10.0.0.1: private addresses are not allowed (WEBHOOK_ALLOWED_CIDRS))",
    );
  });

  it("reads an error status with its reason phrase", () => {
    expect(failed({ errorKind: "http_status", statusCode: 500, errorMessage: "HTTP 500" })).toEqual({ tone: "failure", label: "HTTP 500", sentence: "HTTP 500 Internal Server Error" });
    expect(failed({ errorKind: "http_status", statusCode: 429 }).sentence).toBe("HTTP 429 Too Many Requests");
    expect(failed({ errorKind: "http_status", statusCode: 599 }).sentence).toBe("HTTP 599");
  });

  it("names DNS, TLS, invalid URL and other failures with the underlying message", () => {
    expect(failed({ errorKind: "dns", errorMessage: "getaddrinfo ENOTFOUND no-such-host.invalid" }).sentence).toBe(
      "DNS lookup failed: the host name does not resolve (getaddrinfo ENOTFOUND no-such-host.invalid)",
    );
    expect(failed({ errorKind: "tls", errorMessage: "self-signed certificate" }).sentence).toBe(
      "TLS error: the secure connection could not be established (self-signed certificate)",
    );
    expect(failed({ errorKind: "invalid_url", errorMessage: "ftp: URLs are not supported" }).sentence).toBe("Invalid URL (ftp: URLs are not supported)");
    expect(failed({ errorKind: "other", errorMessage: "boom" })).toEqual({ tone: "failure", label: "Request failed", sentence: "Request failed (boom)" });
  });

  it("reads a kind it does not know (older rows) as a plain failure", () => {
    expect(failed({ errorKind: "gremlins", errorMessage: "odd" }).sentence).toBe("Request failed (odd)");
    expect(failed({}).sentence).toBe("Request failed");
  });

  it("has a distinct label for every error kind", () => {
    const labels = Object.values(ERROR_KIND_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe("the failure reason a delivery keeps", () => {
  it("is the diagnosis of the last outcome", () => {
    expect(summariseOutcome({ ok: false, durationMs: 15_000, errorKind: "timeout", errorMessage: "no complete response within 15000 ms" }, 15_000)).toEqual({
      tone: "failure",
      label: "Timed out",
      detail: "Timed out: no complete response within 15 s",
    });
    expect(summariseOutcome({ ok: true, statusCode: 200, durationMs: 3 }, 15_000).label).toBe("HTTP 200");
  });
});
