// The scanner's decode set alone, for trying decoder changes quickly: `npx tsx bench/scanner-decode-only.ts`.
// Builds the app (vite build, into BENCH_DECODE_DIST or a temporary directory; BENCH_DECODE_REUSE=1
// takes that directory's build as it is), serves it from a plain static server on a free port and
// decodes the frames of bench/scanner-decode.ts in headless Chromium with the build's own ZXing and
// jsQR modules, as `npm run bench:web` does (its step 4), without the chain, the server and the
// other measurements. Prints the results; writes nothing in the repository.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";

import { chromium } from "playwright-core";

import { CHROMIUM_ARGS, findChromium, missingChromiumMessage } from "../scripts/lib/chromium.mjs";
import { onShutdown, runMain, runToEnd, tempFolder } from "../scripts/lib/supervisor.js";
import { decodeSet, measureDecoders } from "./scanner-decode.js";

const log = (message: string) => console.log(`[decode-only] ${message}`);
const TYPES: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".css": "text/css", ".json": "application/json" };

await runMain(async () => {
  const outDir = process.env.BENCH_DECODE_DIST || tempFolder("chainpass-decode-only-");
  if (!(process.env.BENCH_DECODE_REUSE && existsSync(join(outDir, ".vite/manifest.json")))) {
    log(`building the app into ${outDir}`);
    await runToEnd("vite build", process.execPath, ["node_modules/vite/bin/vite.js", "build", "--config", "frontend/vite.config.ts", "--manifest", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"]);
  }
  const manifest = JSON.parse(readFileSync(join(outDir, ".vite/manifest.json"), "utf8")) as Record<string, { file: string }>;
  const modules = { zxing: `/${manifest["src/gate/zxing.ts"].file}`, jsqr: `/${manifest["src/gate/jsqr.ts"].file}` };

  log("drawing the decode set");
  const frames = await decodeSet();

  const root = outDir;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const file = normalize(join(root, path));
    if (path === "/__decode-bench" || !file.startsWith(root) || !existsSync(file)) {
      response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>decode set</title>");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onShutdown(() => server.close());
  const { port } = server.address() as { port: number };

  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingChromiumMessage());
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  onShutdown(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${port}/__decode-bench`);
  log(`decoding ${frames.length} frames with ${modules.zxing} (ZXing) and ${modules.jsqr} (jsQR)`);
  const run = await measureDecoders(page, frames, modules);
  for (const name of ["zxing", "jsqr"] as const) {
    const r = run[name];
    const categories = Object.entries(r.byCategory).map(([category, { frames, decoded }]) => `${category} ${decoded}/${frames}`);
    log(`${name}: ${r.decoded}/${run.frames} (${r.decodeRate}), median ${r.decodeMs} ms, p95 ${r.decodeMsP95} ms; ${categories.join(", ")}`);
  }
  log(`wasm: ${run.wasmUrls.join(", ")}`);
});
