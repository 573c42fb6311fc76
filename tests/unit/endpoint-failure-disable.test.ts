import { describe, expect, it } from "vitest";
import { DeliveryConfigError, failureDisableCutoff, parseDeliveryConfig } from "@/lib/delivery/config";

const day = 86_400_000;

describe("ENDPOINT_FAILURE_DISABLE_AFTER", () => {
  it("defaults to Svix's five days: a streak that started five days ago disables, one a second younger does not", () => {
    const config = parseDeliveryConfig({});
    expect(config.endpointFailureDisableAfterMs).toBe(5 * day);
    const now = new Date("2026-12-06T12:00:00Z");
    const cutoff = failureDisableCutoff(now, config)!;
    expect(cutoff).toEqual(new Date("2026-12-01T12:00:00Z"));
    // The store disables an endpoint whose failingSince <= cutoff.
    expect(new Date("2026-12-01T12:00:00Z") <= cutoff).toBe(true);
    expect(new Date("2026-12-01T12:00:01Z") <= cutoff).toBe(false);
  });

  it("takes any duration from a second to 30 days, and 0 or off for never", () => {
    expect(parseDeliveryConfig({ ENDPOINT_FAILURE_DISABLE_AFTER: "36h" }).endpointFailureDisableAfterMs).toBe(1.5 * day);
    expect(parseDeliveryConfig({ ENDPOINT_FAILURE_DISABLE_AFTER: "3s" }).endpointFailureDisableAfterMs).toBe(3_000);
    expect(parseDeliveryConfig({ ENDPOINT_FAILURE_DISABLE_AFTER: " " }).endpointFailureDisableAfterMs).toBe(5 * day);
    for (const never of ["0", "off", "OFF"]) {
      const config = parseDeliveryConfig({ ENDPOINT_FAILURE_DISABLE_AFTER: never });
      expect(config.endpointFailureDisableAfterMs).toBeNull();
      expect(failureDisableCutoff(new Date(), config)).toBeNull();
    }
  });

  it("refuses anything else, naming the variable", () => {
    for (const bad of ["soon", "500ms", "31d", "-1d", "5 days"]) {
      expect(() => parseDeliveryConfig({ ENDPOINT_FAILURE_DISABLE_AFTER: bad })).toThrow(DeliveryConfigError);
      expect(() => parseDeliveryConfig({ ENDPOINT_FAILURE_DISABLE_AFTER: bad })).toThrow(/ENDPOINT_FAILURE_DISABLE_AFTER: .*or 0 \/ off to never disable/);
    }
  });
});
