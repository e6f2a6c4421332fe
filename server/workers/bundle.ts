// Where a module's bundled build is, when the process runs from one (CHAINPASS_SERVER_BUNDLE, the
// folder scripts/lib/server-bundle.ts writes; `npm test` sets it). The bundle mirrors the source
// tree: server/web-worker.ts is <folder>/server/web-worker.mjs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
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

/** What `buildServerBundle` writes beside the bundle: each source file it bundled, by its content. */
export const BUNDLE_SOURCES = "sources.json";
/** Paths relative to the repository's root, each with `sourceDigest` of the content bundled. */
export type BundleSources = Record<string, string>;

/** A source file's digest as the bundle records it (by content: a copy or a checkout that keeps it is current). */
export const digestOf = (content: Uint8Array): string => createHash("sha256").update(content).digest("base64url");
const sourceDigest = (root: string, file: string) => digestOf(readFileSync(join(root, file)));

/**
 * Why the bundle in `dir` is not the source's build (no bundle there, a source file it was built
 * from changed or is gone), or undefined when it is.
 */
export function staleBundle(dir: string, root = ROOT): string | undefined {
  let sources: BundleSources;
  try {
    sources = JSON.parse(readFileSync(join(dir, BUNDLE_SOURCES), "utf8")) as BundleSources;
  } catch {
    return `no bundled build in ${dir}`;
  }
  for (const [file, digest] of Object.entries(sources)) {
    let now: string;
    try {
      now = sourceDigest(root, file);
    } catch {
      return `${file}, bundled in ${dir}, is gone`;
    }
    if (now !== digest) return `${file} changed after the bundle in ${dir} was built`;
  }
  return undefined;
}
