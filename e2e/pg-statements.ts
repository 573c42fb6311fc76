import net from "node:net";
import type { AddressInfo } from "node:net";

/** One statement a client ran: its SQL and its parameters as sent (text format; null for NULL or binary). */
export interface Statement {
  sql: string;
  params: (string | null)[];
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

function cstring(buffer: Buffer, start: number): { value: string; end: number } {
  const end = buffer.indexOf(0, start);
  return { value: buffer.toString("utf8", start, end), end: end + 1 };
}

/** Bind: portal, statement, parameter format codes, parameters. */
function readBind(body: Buffer): { statement: string; params: (string | null)[] } {
  const portal = cstring(body, 0);
  const statement = cstring(body, portal.end);
  let at = statement.end;
  const formatCount = body.readInt16BE(at);
  const formats = Array.from({ length: formatCount }, (_, i) => body.readInt16BE(at + 2 + i * 2));
  at += 2 + formatCount * 2;
  const count = body.readInt16BE(at);
  at += 2;
  const params: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const length = body.readInt32BE(at);
    at += 4;
    const binary = (formats.length === 1 ? formats[0] : formats[i]) === 1;
    params.push(length < 0 || binary ? null : body.toString("utf8", at, at + length));
    if (length > 0) at += length;
  }
  return { statement: statement.value, params };
}

/**
 * A TCP proxy in front of PostgreSQL that records every statement its clients execute: simple
 * queries, and each Bind of the extended protocol with the SQL of the statement it binds (so a
 * prepared statement run twice counts twice). Bytes pass through unchanged. A test points an app's
 * DATABASE_URL at it to count the queries one request makes, with no hook in the product.
 */
export async function startStatementRecorder(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const statements: Statement[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);

    const prepared = new Map<string, string>();
    let pending = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          // Untyped: the startup message, or a request for TLS / GSS encryption before it.
          if (pending.length < 8 || pending.length < pending.readInt32BE(0)) return;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(pending.readInt32BE(0));
          started = code !== SSL_REQUEST && code !== GSS_REQUEST;
          continue;
        }
        if (pending.length < 5 || pending.length < 1 + pending.readInt32BE(1)) return;
        const type = String.fromCharCode(pending[0]!);
        const body = pending.subarray(5, 1 + pending.readInt32BE(1));
        pending = pending.subarray(1 + pending.readInt32BE(1));
        if (type === "Q") statements.push({ sql: cstring(body, 0).value, params: [] });
        else if (type === "P") {
          const name = cstring(body, 0);
          prepared.set(name.value, cstring(body, name.end).value);
        } else if (type === "B") {
          const bind = readBind(body);
          statements.push({ sql: prepared.get(bind.statement) ?? "", params: bind.params });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as AddressInfo).port);

  return {
    /** DATABASE_URL through the recorder. */
    url: url.toString(),
    /** Statements executed since the last call, and forgets them. */
    take(): Statement[] {
      return statements.splice(0);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
