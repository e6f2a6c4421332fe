// The server's entry and its worker threads' entries bundled into plain JavaScript (esbuild), so
// that a server starts without loading our TypeScript modules (141 of them) one by one through tsx
// in every thread. `npm test` builds it once (scripts/test-lanes.ts) and points CHAINPASS_SERVER_BUNDLE
// at it: spawnServer runs its main, and WorkerHost starts its workers from it (also in the tests
// that build the app in their own process). The browser and process tests start about 80 servers,
// each with up to four threads; most of a thread's start was module loading.
//
// Packages stay in node_modules (`packages: "external"`): only our code is bundled, so a package
// that reads files beside itself is unaffected. Our code's `import.meta.url` is replaced by its
// source file's URL, so every path built from it (worker entries, migrations, the subgraph's
// schema and build) is the same as when it runs from source.
import { readFile, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { build, type Plugin } from "esbuild";

import { BUNDLE_SOURCES, digestOf, type BundleSources } from "../../server/workers/bundle.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** The modules a server process or one of its worker threads starts from (server/workers/host.ts). */
export const SERVER_ENTRIES = ["server/main.ts", "server/start.ts", "server/web-worker.ts", "server/indexer/worker.ts", "server/gate/chain-worker.ts"];

/** Our TypeScript as read for the bundle, `import.meta.url` replaced; each file's digest noted in `read`. */
const sourceImportMetaUrl = (read: BundleSources): Plugin => ({
  name: "source-import-meta-url",
  setup(bundle) {
    bundle.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const bytes = await readFile(args.path);
      read[relative(ROOT, args.path)] = digestOf(bytes);
      return { contents: bytes.toString("utf8").replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
    });
  },
});

/** Bundles SERVER_ENTRIES into `dir` (shared code in chunks beside them): 0.3 s here. */
export async function buildServerBundle(dir: string): Promise<void> {
  const read: BundleSources = {};
  await build({
    absWorkingDir: ROOT,
    entryPoints: SERVER_ENTRIES,
    outbase: ".",
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    // Function and class names as in the source (tsx keeps them too): stack traces read the same.
    keepNames: true,
    sourcemap: "linked",
    plugins: [sourceImportMetaUrl(read)],
    logLevel: "warning",
  });
  // What `npm start` checks before it runs the bundle (server/start.ts: staleBundle): each source
  // file by the digest of the very bytes bundled.
  await writeFile(resolve(dir, BUNDLE_SOURCES), JSON.stringify(read));
}
