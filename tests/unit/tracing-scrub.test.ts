import { tracing } from "@opentelemetry/sdk-node";
import { describe, expect, it } from "vitest";
import { redactUrl, scrubbingExporter } from "@/lib/observability/tracing-sdk";

/**
 * Next's own request spans are exported with ours (the SDK registers the global provider, and the
 * API's span nests in Next's): their name and `http.target` carry the request's URL, which can hold
 * an invite's or a test receiver's token and any query string. The exporter scrubs them; real SDK
 * spans through the real export path.
 */
function exported(tracer: string, name: string, attributes: Record<string, string>) {
  const memory = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(scrubbingExporter(memory))] });
  const span = provider.getTracer(tracer).startSpan(name, { attributes });
  const context = span.spanContext();
  span.end();
  const [out] = memory.getFinishedSpans();
  if (!out) throw new Error("nothing exported");
  return { out, context };
}

describe("spans of other tracers, before export", () => {
  it("lose the query string and the tokens of invite and test receiver paths, in the name and the URL attributes, and keep the rest", () => {
    const { out, context } = exported("next.js", "GET /invite/inv_SECRETTOKEN?next=%2Fsecret", {
      "http.method": "GET",
      "http.target": "/test-receiver/rcv_SECRETTOKEN/x?key=secret",
      "next.span_type": "BaseServer.handleRequest",
    });
    expect(out.name).toBe("GET /invite/[token]");
    expect(out.attributes).toEqual({ "http.method": "GET", "http.target": "/test-receiver/[token]/x", "next.span_type": "BaseServer.handleRequest" });
    expect(JSON.stringify({ name: out.name, attributes: out.attributes })).not.toMatch(/SECRET|secret/);
    // Still the same span to the exporter: its ids, its parent, its times.
    expect(out.spanContext()).toEqual(context);
    expect(out.endTime).toBeDefined();
  });

  it("leave the product's own spans as they are", () => {
    const { out } = exported("hookrelay", "POST /api/v1/app/{app_id}/msg", { "http.route": "/api/v1/app/{app_id}/msg" });
    expect(out.name).toBe("POST /api/v1/app/{app_id}/msg");
    expect(out.attributes).toEqual({ "http.route": "/api/v1/app/{app_id}/msg" });
  });

  it("redactUrl: paths without a token or a query are unchanged", () => {
    expect(redactUrl("GET /acme/settings/integrations/webhooks/endpoints")).toBe("GET /acme/settings/integrations/webhooks/endpoints");
    expect(redactUrl("/play/abc/def?x=1")).toBe("/play/[token]/def");
  });
});
