// A plain static file server, as any static host or IPFS gateway serves a folder: a file or 404,
// nothing rewritten, no fallback to index.html. The static build's test and the deployment
// rehearsal host `npm run build:web -- --network …`'s output with it, under a sub-path.
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

/** Serves `dir`'s files under `prefix` (e.g. "/some/sub/path/") on 127.0.0.1:`port`; records every request. */
export function serveStatic(dir: string, prefix: string, port: number) {
  const requests: { path: string; status: number }[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://static").pathname;
    const answer = (status: number, body: Buffer | string, type = "text/plain") => {
      requests.push({ path, status });
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
    };
    if (!path.startsWith(prefix)) return answer(404, "not found");
    const file = normalize(join(dir, decodeURIComponent(path.slice(prefix.length)) || "index.html"));
    if (!file.startsWith(dir + sep)) return answer(404, "not found");
    try {
      const target = statSync(file).isDirectory() ? join(file, "index.html") : file;
      answer(200, readFileSync(target), TYPES[extname(target)] ?? "application/octet-stream");
    } catch {
      answer(404, "not found");
    }
  });
  return {
    requests,
    listen: () => new Promise<void>((done, fail) => server.once("error", fail).listen(port, "127.0.0.1", () => done())),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
