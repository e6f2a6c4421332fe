// frontend/app-shell.ts: which files of a build the service worker precaches.
import { expect } from "chai";

import { appShellFiles, type ShellBundle } from "../../frontend/app-shell.js";

const FAN = /\/src\/fan\/\w+Page\.tsx$/;

function chunk(fileName: string, opts: { entry?: boolean; module?: string; imports?: string[]; css?: string[] } = {}): ShellBundle[string] {
  return { type: "chunk", fileName, isEntry: !!opts.entry, facadeModuleId: opts.module ?? null, imports: opts.imports ?? [], viteMetadata: { importedCss: new Set(opts.css ?? []) } };
}

/** A build shaped like the app's: an entry, fan and organizer routes, shared chunks, an SDK loaded with import(). */
const parts: ShellBundle[string][] = [
  chunk("assets/index-1.js", { entry: true, module: "/app/frontend/index.html", imports: ["assets/ui-1.js", "assets/react-1.js"], css: ["assets/index-1.css"] }),
  chunk("assets/ui-1.js", { imports: ["assets/react-1.js"] }),
  chunk("assets/react-1.js"),
  chunk("assets/PassPage-1.js", { module: "/app/frontend/src/fan/PassPage.tsx", imports: ["assets/ui-1.js", "assets/qr-1.js"], css: ["assets/fan-1.css"] }),
  chunk("assets/qr-1.js", { imports: ["assets/deep-1.js"] }),
  chunk("assets/deep-1.js"),
  chunk("assets/MyTicketsPage-1.js", { module: "/app/frontend/src/fan/MyTicketsPage.tsx", imports: ["assets/ui-1.js"], css: ["assets/fan-1.css"] }),
  chunk("assets/OrganizerHome-1.js", { module: "/app/frontend/src/organizer/OrganizerHome.tsx", imports: ["assets/charts-1.js"] }),
  chunk("assets/charts-1.js"),
  // Only ever import()ed (the wallet SDKs): not a static import of anything.
  chunk("assets/walletConnect-1.js", { module: "/app/node_modules/wagmi/connectors/walletConnect.js" }),
  { type: "asset", fileName: "assets/index-1.css" },
  { type: "asset", fileName: "assets/fan-1.css" },
  { type: "asset", fileName: "favicon.svg" },
];
const bundle: ShellBundle = Object.fromEntries(parts.map((c) => [c.fileName, c]));

describe("frontend app shell (the service worker's precache)", function () {
  it("the entry and the fan routes, their static imports transitively and their CSS, each once", function () {
    expect([...appShellFiles(bundle, FAN)].sort()).to.deep.equal(
      [
        "assets/index-1.js",
        "assets/index-1.css",
        "assets/ui-1.js",
        "assets/react-1.js",
        "assets/PassPage-1.js",
        "assets/fan-1.css",
        "assets/qr-1.js",
        "assets/deep-1.js",
        "assets/MyTicketsPage-1.js",
      ].sort(),
    );
  });

  it("leaves out other routes, what is only loaded with import(), and files that are not chunks", function () {
    const files = appShellFiles(bundle, FAN);
    for (const file of ["assets/OrganizerHome-1.js", "assets/charts-1.js", "assets/walletConnect-1.js", "favicon.svg"]) expect(files.has(file), file).to.equal(false);
  });

  it("a missing import is skipped, not followed", function () {
    const broken: ShellBundle = { ...bundle, "assets/MyTicketsPage-1.js": chunk("assets/MyTicketsPage-1.js", { module: "/app/frontend/src/fan/MyTicketsPage.tsx", imports: ["assets/gone.js"] }) };
    expect(appShellFiles(broken, FAN).has("assets/gone.js")).to.equal(false);
  });

  it("refuses a build where no route matches: the shell would miss the pages it is for", function () {
    expect(() => appShellFiles(bundle, /\/src\/nowhere\/\w+\.tsx$/)).to.throw(/no chunk of the build is a module matching/);
    const entryOnly: ShellBundle = { "assets/index-1.js": bundle["assets/index-1.js"] };
    expect(() => appShellFiles(entryOnly, FAN)).to.throw(/no chunk/);
  });
});
