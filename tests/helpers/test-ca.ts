import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 it signed, made with
 * the `openssl` CLI in a temporary folder, for HTTPS receivers in tests.
 */
export interface TestCertificates {
  /** PEM file of the CA certificate, e.g. for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The server's key and certificate (PEM), valid for IP 127.0.0.1. */
  server: { key: string; cert: string };
  cleanup(): void;
}

export function createTestCertificates(name: string): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hookrelay-ca-"));
  const file = (f: string) => path.join(dir, f);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(file("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
  return {
    caFile: file("ca.pem"),
    server: { key: readFileSync(file("server.key"), "utf8"), cert: readFileSync(file("server.pem"), "utf8") },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
