/**
 * Throughput of one delivery attempt (sign + guarded keep-alive POST + outcome) against plain POST
 * loops to the same keep-alive receiver on 127.0.0.1, in the same run. The ratio is the figure to
 * track: it shows what the attempt itself costs over the transport.
 *
 *   npx tsx bench/delivery-attempt.ts [requests=1000] [concurrency=10]
 */
import http from "node:http";
import { attempt } from "@/lib/delivery/attempt";
import { createGuardedAgents } from "@/lib/delivery/guarded-agent";
import { generateSecret } from "@/lib/delivery/sign";
import { parseCidrList } from "@/lib/delivery/ssrf";
import { startReceiver } from "@/tests/helpers/receiver";

const requests = Math.min(Number(process.argv[2] ?? 1000), 20_000);
const concurrency = Math.min(Number(process.argv[3] ?? 10), 100);
const body = JSON.stringify({ type: "invoice.paid", data: { id: "inv_1", amount: 4200, lines: Array.from({ length: 10 }, (_, i) => ({ sku: `sku_${i}`, qty: i })) } });

async function run(label: string, send: (i: number) => Promise<void>): Promise<number> {
  for (let i = 0; i < Math.min(100, requests); i++) await send(i);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) await send(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rate = requests / seconds;
  console.log(`${label.padEnd(34)} ${rate.toFixed(0).padStart(7)} req/s  (${requests} in ${seconds.toFixed(2)} s)`);
  return rate;
}

async function main() {
  const receiver = await startReceiver({ maxRecorded: 10 });
  const url = `${receiver.url}/bench`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const guarded = createGuardedAgents({ allowed: parseCidrList("127.0.0.0/8") }, { maxSockets: concurrency });
  const secrets = [generateSecret()];
  console.log(`node ${process.version}, ${requests} requests, ${concurrency} in flight, ${Buffer.byteLength(body)} B body`);

  // Two rounds: the first also warms up the JIT and the pools; the second round's ratios count.
  for (const round of [1, 2]) {
    console.log(`round ${round}`);
    const plainHttp = await run("plain node:http keep-alive POST", (i) =>
      new Promise<void>((resolve, reject) => {
        const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "x-i": String(i) } }, (res) => {
          res.resume();
          res.on("end", resolve);
        });
        req.on("error", reject);
        req.end(body);
      }),
    );
    const plainFetch = await run("plain fetch (Node's bundled undici)", async () => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      await res.text();
    });
    const delivery = await run("attempt() (sign + guard + outcome)", async (i) => {
      const outcome = await attempt({ url, messageId: `msg_${i}`, body, secrets }, { agents: guarded, timeoutMs: 15_000 });
      if (!outcome.ok) throw new Error(`attempt failed: ${outcome.errorMessage}`);
    });

    console.log(`ratio attempt()/plain node:http = ${(delivery / plainHttp).toFixed(2)}`);
    console.log(`ratio attempt()/plain fetch     = ${(delivery / plainFetch).toFixed(2)}`);
  }
  agent.destroy();
  guarded.destroy();
  await receiver.close();
}

await main();
