// `npm run build:server`: the server's bundled build into dist/server (scripts/lib/server-bundle.ts),
// which `npm start` runs.
import { resolve } from "node:path";

import { buildServerBundle } from "./lib/server-bundle.js";

const dir = resolve("dist/server");
await buildServerBundle(dir);
console.log(`built ${dir}: npm start runs it`);
