// The server's bundled build (scripts/lib/server-bundle.ts), which `npm test` runs every server
// process and worker thread from (CHAINPASS_SERVER_BUNDLE): it must hold every worker the server
// starts (a missing one would quietly run from source again), run without tsx, and leave the paths
// our code builds from import.meta.url as they are in the source.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";

import { buildServerBundle, SERVER_ENTRIES } from "../../scripts/lib/server-bundle.js";
import { bundledEntry } from "../../server/workers/bundle.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SERVER_DIR = join(ROOT, "server");

/** Each file `new WorkerHost({ entry: new URL("…", import.meta.url) })` starts, relative to the root. */
function workerEntriesInSource(): string[] {
  const entries: string[] = [];
  for (const file of readdirSync(SERVER_DIR, { recursive: true }).map(String)) {
    if (!file.endsWith(".ts")) continue;
    const path = join(SERVER_DIR, file);
    for (const match of readFileSync(path, "utf8").matchAll(/entry: new URL\("([^"]+)", import\.meta\.url\)/g)) {
      entries.push(relative(ROOT, fileURLToPath(new URL(match[1], pathToFileURL(path)))));
    }
  }
  return [...new Set(entries)];
}

function withBundleEnv<T>(value: string | undefined, run: () => T): T {
  const saved = process.env.CHAINPASS_SERVER_BUNDLE;
  if (value === undefined) delete process.env.CHAINPASS_SERVER_BUNDLE;
  else process.env.CHAINPASS_SERVER_BUNDLE = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.CHAINPASS_SERVER_BUNDLE;
    else process.env.CHAINPASS_SERVER_BUNDLE = saved;
  }
}

describe("Server: the bundled build the tests run", function () {
  this.timeout(60_000);
  // Inside the repository: the bundle imports its packages from node_modules.
  const dir = join(ROOT, "dist", `server-bundle-test-${process.pid}`);
  before(() => buildServerBundle(dir));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("holds the server's main, npm start's entry and every worker entry the server starts", function () {
    const workers = workerEntriesInSource();
    expect(workers, "the worker entries found in server/").to.have.members(["server/web-worker.ts", "server/indexer/worker.ts", "server/gate/chain-worker.ts"]);
    expect(SERVER_ENTRIES).to.have.members(["server/main.ts", "server/start.ts", ...workers]);
    withBundleEnv(dir, () => {
      for (const entry of SERVER_ENTRIES) {
        expect(bundledEntry(pathToFileURL(join(ROOT, entry))), entry).to.equal(pathToFileURL(join(dir, entry.replace(/\.ts$/, ".mjs"))).href);
      }
    });
  });

  it("is used only when CHAINPASS_SERVER_BUNDLE names it, and only for the modules it holds", function () {
    const webWorker = pathToFileURL(join(ROOT, "server/web-worker.ts"));
    expect(withBundleEnv(undefined, () => bundledEntry(webWorker)), "not set").to.equal(undefined);
    expect(withBundleEnv("", () => bundledEntry(webWorker)), "set empty (scripts/dev.ts)").to.equal(undefined);
    expect(withBundleEnv(dir, () => bundledEntry(pathToFileURL(join(ROOT, "server/workers/runtime.ts")))), "a module that is not an entry").to.equal(undefined);
    expect(withBundleEnv(join(dir, "missing"), () => bundledEntry(webWorker)), "a folder without it").to.equal(undefined);
  });

  it("keeps each module's import.meta.url as its source file's, so the paths built from it are the source's", function () {
    const text = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".mjs"))
      .map((file) => readFileSync(join(dir, file), "utf8"))
      .join("\n");
    expect(text).to.not.contain("import.meta.url");
    // server/pg.ts finds its migrations beside itself; server/workers/host.ts its bootstrap.mjs.
    expect(text).to.contain(JSON.stringify(pathToFileURL(join(ROOT, "server/pg.ts")).href));
    expect(text).to.contain(JSON.stringify(pathToFileURL(join(ROOT, "server/workers/host.ts")).href));
  });

  it("runs as plain JavaScript: its main, started without tsx, reads the configuration and names what is missing", async function () {
    const main = join(dir, "server/main.mjs");
    const failure = await promisify(execFile)(process.execPath, ["--no-warnings", main], { env: { PATH: process.env.PATH }, timeout: 30_000 }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code, "exit code").to.equal(1);
    expect(failure?.stderr).to.contain("chainpass server: Set CHAINPASS_FACTORY");
  });
});
