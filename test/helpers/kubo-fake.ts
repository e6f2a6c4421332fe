// A stand-in for the few kubo RPC endpoints the metadata module calls (`add`, `cat`), on
// 127.0.0.1. It builds DAGs with the IPFS project's importer and honours the request's
// cid-version, raw-leaves and chunker the way kubo does; its own defaults are a node's
// (CIDv0, and a 1 MiB chunker like a node on IPIP-499's unixfs-v1-2025 profile), so a client
// that does not send its parameters gets a different CID.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { BlackHoleBlockstore } from "blockstore-core/black-hole";
import { importBytes } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";

export interface KuboCall {
  endpoint: string;
  params: Record<string, string>;
}

/** A request's body, whole. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function startFakeKubo(options: { ignoreRawLeaves?: boolean } = {}) {
  const files = new Map<string, Uint8Array>();
  const pins = new Set<string>();
  const calls: KuboCall[] = [];

  const server = createServer((request, response) => void handle(request, response));
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, "http://127.0.0.1");
    const endpoint = url.pathname.replace("/api/v0/", "");
    calls.push({ endpoint, params: Object.fromEntries(url.searchParams) });
    const body = await readBody(request);
    const fail = (message: string) => response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ Message: message, Code: 0, Type: "error" }));
    if (request.method !== "POST") return fail("RPC calls are POST");

    if (endpoint === "add") {
      const form = await new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": request.headers["content-type"]! }, body: new Uint8Array(body) }).formData();
      const file = form.get("file");
      if (!(file instanceof Blob)) return fail("no file part");
      const bytes = new Uint8Array(await file.arrayBuffer());
      const cidVersion = url.searchParams.get("cid-version") === "1" ? 1 : 0;
      // kubo turns raw leaves on with CIDv1 unless told otherwise.
      const rawLeaves = !options.ignoreRawLeaves && (url.searchParams.get("raw-leaves") ?? String(cidVersion === 1)) === "true";
      const chunker = url.searchParams.get("chunker") ?? "size-1048576";
      const { cid } = await importBytes(bytes, new BlackHoleBlockstore(), {
        cidVersion,
        rawLeaves,
        chunker: fixedSize({ chunkSize: Number(chunker.replace("size-", "")) }),
      });
      files.set(cid.toString(), bytes);
      if (url.searchParams.get("pin") !== "false") pins.add(cid.toString());
      response.writeHead(200, { "content-type": "application/x-ndjson" });
      return response.end(`${JSON.stringify({ Name: cid.toString(), Hash: cid.toString(), Size: String(bytes.length) })}\n`);
    }
    if (endpoint === "cat") {
      const bytes = files.get(url.searchParams.get("arg") ?? "");
      if (!bytes) return fail("block was not found locally (offline)");
      return response.writeHead(200, { "content-type": "text/plain" }).end(bytes);
    }
    return fail(`unknown command ${endpoint}`);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    pins,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
