import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex } from "node:stream";
import { type AddressCategory, type AddressPolicy, checkAddress } from "./ssrf";

/**
 * Enforces the address policy when a connection is opened, which is what makes it safe against DNS
 * rebinding: the hostname is resolved once, EVERY resolved address is checked, and the socket
 * connects only to the addresses that were checked (they are handed to `net.connect` as the lookup
 * result, so there is no second resolution an attacker's DNS could answer differently). Literal IPs
 * in a URL skip DNS, so they are checked before connecting.
 */

export class SsrfBlockedError extends Error {
  readonly code = "ERR_SSRF_BLOCKED";
  constructor(
    readonly host: string,
    readonly address: string,
    readonly category: AddressCategory,
  ) {
    super(
      host === address
        ? `refused to connect to ${address}: ${category.replace("_", "-")} addresses are not allowed (WEBHOOK_ALLOWED_CIDRS)`
        : `refused to connect to ${host}: it resolves to ${address}, a ${category.replace("_", "-")} address that is not allowed (WEBHOOK_ALLOWED_CIDRS)`,
    );
  }
}

/** `dns.lookup` with `all: true`, the shape of the resolver the guard calls. */
export type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/** A `lookup` for `net.connect` that fails with SsrfBlockedError unless every address is allowed. */
export function createGuardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family, hints: options.hints, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      }
      for (const { address } of addresses) {
        const decision = checkAddress(address, policy);
        if (!decision.allowed) return callback(new SsrfBlockedError(hostname, address, decision.category), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;

/** Null when `host` may be connected to (or is a name the guarded lookup will check). */
function literalRefusal(host: string | null | undefined, policy: AddressPolicy): SsrfBlockedError | null {
  const address = (host ?? "").replace(/^\[|\]$/g, "");
  if (net.isIP(address) === 0) return null;
  const decision = checkAddress(address, policy);
  return decision.allowed ? null : new SsrfBlockedError(address, address, decision.category);
}

class GuardedHttpAgent extends http.Agent {
  constructor(
    private readonly policy: AddressPolicy,
    private readonly lookup: net.LookupFunction,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
    const refusal = literalRefusal(options.host, this.policy);
    if (refusal) {
      callback?.(refusal, undefined as unknown as Duplex);
      return undefined;
    }
    return net.createConnection({ ...(options as net.NetConnectOpts), lookup: this.lookup } as net.NetConnectOpts);
  }
}

class GuardedHttpsAgent extends https.Agent {
  constructor(
    private readonly policy: AddressPolicy,
    private readonly lookup: net.LookupFunction,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    const refusal = literalRefusal(options.host, this.policy);
    if (refusal) {
      callback?.(refusal, undefined as unknown as Duplex);
      return undefined;
    }
    return super.createConnection({ ...options, lookup: this.lookup }, callback);
  }
}

export interface GuardedAgents {
  http: http.Agent;
  https: https.Agent;
  /** Closes every pooled socket; for tests, benchmarks and shutdown. */
  destroy(): void;
}

export interface GuardedAgentOptions {
  /** Sockets per origin; deliveries to one endpoint share a keep-alive pool. */
  maxSockets?: number;
  resolve?: Resolver;
}

/** Keep-alive agents for http and https that connect only where `policy` allows. */
export function createGuardedAgents(policy: AddressPolicy, options: GuardedAgentOptions = {}): GuardedAgents {
  const lookup = createGuardedLookup(policy, options.resolve);
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50, scheduling: "lifo" as const };
  const agents = {
    http: new GuardedHttpAgent(policy, lookup, agentOptions),
    https: new GuardedHttpsAgent(policy, lookup, agentOptions),
  };
  return {
    ...agents,
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
