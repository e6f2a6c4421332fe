// `npm start`: the server from its bundled build (`npm run build:server`, dist/server), the way
// to run it in production: no TypeScript loader (tsx is a development dependency) and a start
// that loads one file per thread instead of each of our modules. A bundle built from other source
// than the checkout's is refused, so a machine updated without a build never runs yesterday's
// code by mistake.
import { dirname, resolve } from "node:path";

import { staleBundle } from "./workers/bundle.js";

// This file runs as <bundle>/server/start.mjs (its import.meta.url is its source's: server-bundle.ts).
const bundle = resolve(dirname(process.argv[1]), "..");
const stale = staleBundle(bundle);
if (stale) {
  console.error(`chainpass server: ${stale}; run npm run build:server`);
  process.exit(1);
}
process.env.CHAINPASS_SERVER_BUNDLE = bundle; // the worker threads start from the bundle too
await import("./main.js");
