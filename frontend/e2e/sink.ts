// A local HTTP destination whose answer the tests control: POST {"status": 500} to
// /control and every delivery to /hook gets a 500 until {"status": 200} is posted back.
// Used when the caller does not bring its own sink (E2E_SINK_URL unset).

import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";

export interface Sink {
  url: string;
  controlUrl: string;
  close: () => Promise<void>;
}

export async function startSink(port = 0): Promise<Sink> {
  let status = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method === "POST" && request.url === "/control") {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { status?: unknown };
          status = typeof body.status === "number" ? body.status : 200;
        } catch {
          response.writeHead(400).end();
          return;
        }
        response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ status }));
        return;
      }
      response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    controlUrl: `http://127.0.0.1:${bound}/control`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
