// Where a module's bundled build is, when the process runs from one (CHAINPASS_SERVER_BUNDLE, the
// folder scripts/lib/server-bundle.ts writes; `npm test` sets it). The bundle mirrors the source
// tree: server/web-worker.ts is <folder>/server/web-worker.mjs.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository's root (a bundled module's import.meta.url is its source file's: see server-bundle.ts). */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The bundled file of the source module `sourceFile`, in `dir`. */
function bundledPath(dir: string, sourceFile: string): string {
  return join(dir, relative(ROOT, sourceFile).replace(/\.ts$/, ".mjs"));
}

/** The URL of `entry`'s bundled build, if CHAINPASS_SERVER_BUNDLE is set and has it; else undefined (run from source). */
export function bundledEntry(entry: URL): string | undefined {
  const dir = process.env.CHAINPASS_SERVER_BUNDLE;
  if (!dir || entry.protocol !== "file:") return undefined;
  const file = bundledPath(dir, fileURLToPath(entry));
  return existsSync(file) ? pathToFileURL(file).href : undefined;
}
