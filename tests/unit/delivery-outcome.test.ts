import { describe, expect, it } from "vitest";
import { ERROR_KIND_LABELS, summariseOutcome } from "@/lib/delivery/outcome";

describe("attempt outcomes in the dashboard", () => {
  it("shows the status code of a success", () => {
    expect(summariseOutcome({ ok: true, statusCode: 204, durationMs: 12 })).toEqual({ tone: "success", label: "204", detail: "Answered HTTP 204 in 12 ms" });
  });

  it("shows the status of an error answer and the reason of any other failure", () => {
    expect(summariseOutcome({ ok: false, statusCode: 500, durationMs: 3, errorKind: "http_status", errorMessage: "HTTP 500" })).toEqual({
      tone: "failure",
      label: "HTTP 500",
      detail: "Error status: HTTP 500",
    });
    expect(summariseOutcome({ ok: false, durationMs: 15_000, errorKind: "timeout", errorMessage: "no complete response within 15000 ms" })).toMatchObject({
      label: "Timed out",
      detail: "Timed out: no complete response within 15000 ms",
    });
    expect(summariseOutcome({ ok: false, durationMs: 0 })).toEqual({ tone: "failure", label: "Request failed", detail: "Request failed" });
  });

  it("has a distinct label for every error kind", () => {
    const labels = Object.values(ERROR_KIND_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
