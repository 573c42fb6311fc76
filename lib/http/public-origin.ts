/** `host` or `host:port`: a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin the browser reached us at (`https://hooks.example.com`), for addresses shown to a
 * person: the test receiver's URL, the SDK's `serverUrl`. The app has no configured public URL, so
 * it comes from the request, as the HTTP server left its headers (`recordPeer` in forwarded.ts):
 * `X-Forwarded-Proto` is always set (the socket's, or a trusted proxy's) and `X-Forwarded-Host`
 * survives only from a trusted proxy (`TRUST_PROXY`), so a client cannot make us print a host of
 * its choosing beyond the `Host` it sent itself. A value that is not a host name is ignored.
 */
export function requestOrigin(headers: { get(name: string): string | null }, fallbackPort: number): string {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = [forwarded, headers.get("host")?.trim()].find((h): h is string => !!h && HOST.test(h)) ?? `localhost:${fallbackPort}`;
  const proto = headers.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host.toLowerCase()}`;
}
