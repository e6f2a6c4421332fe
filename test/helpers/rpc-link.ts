// A TCP link between a server under test and its node that a test can cut: every connection
// through it (HTTP and the WebSocket of new heads alike) is dropped at once and new ones are
// refused, as when the node's host goes away. Closing the node itself would not do: its
// WebSocket server waits for its clients before it closes.
import { connect, createServer, type Socket } from "node:net";

/** The server's connection to the node, through the link. */
export interface RpcLink {
  /** Drops every open connection and refuses new ones: the server finds the RPC unreachable. */
  down(): void;
  /** Keeps every connection open but lets nothing through, either way: a link gone silent. */
  hang(): void;
  /** Lets connections (and data) through again. */
  up(): void;
  readonly isDown: boolean;
}

/** A TCP proxy to `target` (http://host:port) that can be switched off. */
export async function startRpcLink(target: string): Promise<RpcLink & { url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let isDown = false;
  let hung = false;
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const proxy = createServer((client) => {
    if (isDown) return void client.destroy();
    const upstream = connect(Number(port), hostname);
    keep(client);
    keep(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    // Not pipe(): a hung link swallows what either side sends.
    client.on("data", (data) => void (hung || upstream.write(data)));
    upstream.on("data", (data) => void (hung || client.write(data)));
  });
  await new Promise<void>((resolveListen, reject) => proxy.once("error", reject).listen(0, "127.0.0.1", () => resolveListen()));
  const { port: linkPort } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${linkPort}`,
    get isDown() {
      return isDown;
    },
    down() {
      isDown = true;
      for (const socket of sockets) socket.destroy();
    },
    hang() {
      hung = true;
    },
    up() {
      isDown = false;
      hung = false;
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolveClose());
      }),
  };
}

// ---------------------------------------------------------------- the stack

/** Starts node, contracts, server, (demo content) and web app. See the file comment. */
