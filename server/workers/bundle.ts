// Where a module's bundled build is, when the process runs from one (CHAINPASS_SERVER_BUNDLE, the
// folder scripts/lib/server-bundle.ts writes; `npm test` sets it). The bundle mirrors the source
// tree: server/web-worker.ts is <folder>/server/web-worker.mjs.
import { existsSync, readFileSync, statSync } from "node:fs";
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

/** What `buildServerBundle` writes beside the bundle: when it started, and the source files it bundled. */
export const BUNDLE_SOURCES = "sources.json";
export interface BundleSources {
  /** ms since 1970, taken before the build read any file. */
  builtAt: number;
  /** Paths relative to the repository's root. */
  files: string[];
}

/**
 * Why the bundle in `dir` is not the source's build (no bundle there, a source file changed
 * after it was built or is gone), or undefined when it is. By modification times: a checkout of
 * another commit or an edit makes the file newer than the build.
 */
export function staleBundle(dir: string, root = ROOT): string | undefined {
  let sources: BundleSources;
  try {
    sources = JSON.parse(readFileSync(join(dir, BUNDLE_SOURCES), "utf8")) as BundleSources;
  } catch {
    return `no bundled build in ${dir}`;
  }
  for (const file of sources.files) {
    let modified: number;
    try {
      modified = statSync(join(root, file)).mtimeMs;
    } catch {
      return `${file}, bundled in ${dir}, is gone`;
    }
    if (modified > sources.builtAt) return `${file} changed after the bundle in ${dir} was built`;
  }
  return undefined;
}
