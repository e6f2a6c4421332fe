// package.json's `allowScripts` names every installed package that has an install script, and
// says whether it may run. npm 11.16+ only warns about a package it does not name; npm 12 skips
// that package's script. The one that matters most: the `node` devDependency gets the project's
// Node 22 from its preinstall script, so with it skipped `npm test` would have no Node 22 at all.
// A new dependency with an install script therefore fails here, where it is reviewed, instead of
// installing broken on the first machine with a newer npm.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

const ROOT = process.cwd();
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"] as const;

interface Manifest {
  name?: string;
  version?: string;
  scripts?: Record<string, string>;
}

/** Package folders under `modules`, scoped ones included, and those nested in their own node_modules. */
function packageFolders(modules: string): string[] {
  if (!existsSync(modules)) return [];
  const folders: string[] = [];
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const folder = path.join(modules, entry.name);
    const inScope = entry.name.startsWith("@") ? readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(folder, e.name)) : [folder];
    for (const pkg of inScope) folders.push(pkg, ...packageFolders(path.join(pkg, "node_modules")));
  }
  return folders;
}

/** Installed packages that run code when installed: a script npm runs, or npm's implied `node-gyp rebuild` for a binding.gyp. */
function packagesWithInstallScripts(): Map<string, string> {
  const found = new Map<string, string>();
  for (const folder of packageFolders(path.join(ROOT, "node_modules"))) {
    const file = path.join(folder, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    const scripts = manifest.scripts ?? {};
    const impliedGyp = existsSync(path.join(folder, "binding.gyp")) && !scripts.install && !scripts.preinstall;
    if (manifest.name && (INSTALL_SCRIPTS.some((name) => scripts[name]) || impliedGyp)) found.set(manifest.name, `${manifest.name}@${manifest.version}`);
  }
  return found;
}

/** A key of allowScripts, name-only (`esbuild`) or pinned (`esbuild@0.28.2`), as the package it names. */
const packageOf = (key: string) => key.slice(0, key.indexOf("@", 1) > 0 ? key.indexOf("@", 1) : undefined);

describe("package.json allowScripts", function () {
  const allowScripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
  const installed = packagesWithInstallScripts();

  it("names every installed package that has an install script", function () {
    expect(installed.size, "packages with install scripts found in node_modules").to.be.greaterThan(0);
    const named = new Set(Object.keys(allowScripts).map(packageOf));
    const unreviewed = [...installed.values()].filter((id) => !named.has(packageOf(id)));
    expect(unreviewed, "install scripts not reviewed in package.json's allowScripts (npm 12 would skip them)").to.deep.equal([]);
  });

  it("lets the node devDependency install Node 22, and names no package that is not installed", function () {
    expect(allowScripts.node, "allowScripts.node").to.equal(true);
    expect(installed.has("node"), "the node package's preinstall script found").to.equal(true);
    const stale = Object.keys(allowScripts).filter((key) => !installed.has(packageOf(key)));
    expect(stale, "allowScripts entries for packages without install scripts").to.deep.equal([]);
  });

  it("reads a pinned and a scoped key as the package they name", function () {
    expect(packageOf("esbuild@0.28.2")).to.equal("esbuild");
    expect(packageOf("@reown/appkit")).to.equal("@reown/appkit");
    expect(packageOf("@reown/appkit@1.8.19")).to.equal("@reown/appkit");
  });
});
