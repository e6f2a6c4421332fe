// The app shell the service worker precaches (vite.config.ts): the entry chunk and every fan
// route's chunk, with their static imports and CSS, transitively. What those load only with
// import() (the wallet SDKs, ENS, jsQR) and the organizer and gate routes are not in it: the
// worker keeps them once they are loaded, so a fan's first visit does not download them all.
import type { Plugin } from "vite";

/** The chunks and assets of a build, as generateBundle sees them (only what the shell needs). */
export type ShellBundle = Record<
  string,
  | { type: "chunk"; fileName: string; isEntry: boolean; facadeModuleId: string | null; imports: string[]; viteMetadata?: { importedCss: Set<string> } }
  | { type: "asset"; fileName: string }
>;

/** The app shell's files (as the build names them, e.g. "assets/index-abc.js"): `roots` and the entry, their static imports and CSS. */
export function appShellFiles(bundle: ShellBundle, roots: RegExp): Set<string> {
  const files = new Set<string>();
  const visit = (fileName: string) => {
    const chunk = bundle[fileName];
    if (files.has(fileName) || chunk?.type !== "chunk") return;
    files.add(fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
    chunk.imports.forEach(visit);
  };
  const starts = Object.values(bundle).filter((chunk) => chunk.type === "chunk" && (chunk.isEntry || (!!chunk.facadeModuleId && roots.test(chunk.facadeModuleId))));
  // The entry alone would be a shell without the pages it is for: say so rather than precache it.
  if (!starts.some((chunk) => chunk.type === "chunk" && !chunk.isEntry)) throw new Error(`no chunk of the build is a module matching ${roots}`);
  starts.forEach((chunk) => visit(chunk.fileName));
  return files;
}

/** A build plugin that works out appShellFiles(bundle, roots) and keeps them in `files` for the service worker's precache filter. */
export function appShell(roots: RegExp): Plugin & { files: Set<string> } {
  const files = new Set<string>();
  return {
    name: "chainpass:app-shell",
    apply: "build",
    files,
    generateBundle(_, bundle) {
      files.clear();
      try {
        for (const file of appShellFiles(bundle as unknown as ShellBundle, roots)) files.add(file);
      } catch (error) {
        this.error(`app shell: ${(error as Error).message} (vite.config.ts)`);
      }
    },
  };
}
