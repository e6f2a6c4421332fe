// A JSON-RPC proxy to a node that can hold its head reads unanswered, as a node busy mining holds
// them, while everything else (logs, blocks by hash, the WebSocket's announcements) goes through.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

const isHeadRead = (body: string) => /"method":"eth_getBlockByNumber","params":\["latest"/.test(body);

/**
 * A proxy to `target` (http://host:port) for HTTP and WebSocket JSON-RPC alike: while `hold` is
 * set, every head read (`eth_getBlockByNumber("latest")`) waits until `release()`.
 */
export async function holdingProxy(target: string) {
  const waiting: (() => void)[] = [];
  const held = async (body: string) => {
    if (state.hold && isHeadRead(body)) await new Promise<void>((r) => waiting.push(r));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    const forward = async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      await held(body);
      try {
        const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
        res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      } catch {
        res.destroy();
      }
    };
    req.on("end", () => void forward());
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) =>
    sockets.handleUpgrade(req, socket, head, (client) => {
      const upstream = new WebSocket(target.replace(/^http/, "ws"));
      const opened = new Promise<void>((resolve) => upstream.once("open", () => resolve()));
      const forward = async (body: string) => {
        await held(body);
        await opened;
        if (upstream.readyState === WebSocket.OPEN) upstream.send(body);
      };
      client.on("message", (data) => void forward(String(data)));
      upstream.on("message", (data) => client.readyState === WebSocket.OPEN && client.send(String(data)));
      const close = () => {
        client.terminate();
        upstream.terminate();
      };
      client.on("close", close).on("error", close);
      upstream.on("close", close).on("error", close);
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    hold: false,
    /** Head reads waiting. */
    get held() {
      return waiting.length;
    },
    release() {
      state.hold = false;
      for (const go of waiting.splice(0)) go();
    },
    close: () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
  return state;
}
