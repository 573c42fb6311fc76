import net from "node:net";

/**
 * A minimal SMTP server on 127.0.0.1 that accepts every message and keeps it: enough of RFC 5321
 * (EHLO, MAIL, RCPT, DATA, QUIT, without STARTTLS or AUTH) for nodemailer to deliver to it.
 */
export interface SmtpMessage {
  from: string;
  to: string[];
  data: string;
}

export async function startSmtpServer() {
  const messages: SmtpMessage[] = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let current: SmtpMessage = { from: "", to: [], data: "" };
    let inData = false;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 127.0.0.1 ESMTP test");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          current.data = buffer.slice(0, end).replace(/^\.\./gm, ".");
          buffer = buffer.slice(end + 5);
          messages.push(current);
          current = { from: "", to: [], data: "" };
          inData = false;
          reply("250 queued");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "MAIL") current.from = line.slice(10).trim();
        if (verb === "RCPT") current.to.push(line.slice(8).trim());
        if (verb === "DATA") inData = true;
        const answer: Record<string, string> = { EHLO: "250 127.0.0.1", HELO: "250 127.0.0.1", MAIL: "250 ok", RCPT: "250 ok", DATA: "354 end with <CRLF>.<CRLF>", QUIT: "221 bye", RSET: "250 ok", NOOP: "250 ok" };
        reply(answer[verb] ?? "502 not implemented");
        if (verb === "QUIT") socket.end();
      }
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
