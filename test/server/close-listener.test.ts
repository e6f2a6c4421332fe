// Stopping a listener for a rolling restart (server/close-listener.ts): a request under way is
// answered, and its keep-alive connection is closed as soon as the answer has gone, so the stop
// does not wait for the connection's keep-alive timeout (Fastify's default: 72 s), as it did for
// every scanner's and browser's connection, until the server's drain limit cut it off.
import { expect } from "chai";
import Fastify from "fastify";
import { Agent, request } from "node:http";

import { closeListener } from "../../server/close-listener.js";

/** `promise`'s value, or `late` if it takes longer than 5 s (a keep-alive timeout is 72 s). */
async function within5s<T>(promise: Promise<T>, late: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(late), 5_000)));
  return Promise.race([promise, waited]).finally(() => clearTimeout(timer));
}

describe("Server: closing a listener with keep-alive clients", function () {
  it("answers the request under way, then closes its connection and is closed, without waiting for the keep-alive timeout", async function () {
    const app = Fastify({ logger: false });
    let arrived!: () => void;
    const underWay = new Promise<void>((resolve) => (arrived = resolve));
    app.get("/slow", async () => {
      arrived();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { answered: true };
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as { port: number };
    const agent = new Agent({ keepAlive: true });
    try {
      let socketClosed!: Promise<string>;
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/slow", agent }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          res.once("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.once("socket", (socket) => {
          socketClosed = new Promise((resolve) => socket.once("close", () => resolve("closed")));
        });
        req.once("error", reject);
        req.end();
      });
      await underWay;

      const closed = closeListener(app).then(() => "closed" as const);
      const { status, body } = await answer;
      expect(status, "the request under way is answered").to.equal(200);
      expect(JSON.parse(body)).to.deep.equal({ answered: true });
      expect(await within5s(closed, "still open after 5 s"), "the listener closes once the answer has gone").to.equal("closed");
      expect(await within5s(socketClosed, "still open after 5 s"), "the client's keep-alive connection, closed by the server").to.equal("closed");
    } finally {
      agent.destroy();
      await app.close();
    }
  });
});
