// `npm run build:server` then `npm start`: the server from its bundled build, as production runs
// it (server/start.ts). It serves both ports and admits from the bundle, with no TypeScript loader
// in the process; a bundle built from other source than the checkout's is refused at start with
// the command to run.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { expect } from "chai";

import { buildServerBundle } from "../../scripts/lib/server-bundle.js";
import { BUNDLE_SOURCES, digestOf, staleBundle, type BundleSources } from "../../server/workers/bundle.js";
import { fanPasses, scanOverHttp, serverEnv, signInOverHttp, spawnServer, startLocalChain, tempDatabase, tokenId, venueFixture } from "../helpers/server.js";

describe("Server: npm start runs the bundled build", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  let bundle: string;

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    // Inside the checkout, as dist/server is: the bundle imports its packages from node_modules.
    mkdirSync("dist", { recursive: true });
    bundle = mkdtempSync(join(resolve("dist"), "test-bundle-"));
    await buildServerBundle(bundle);
  });
  after(async function () {
    await chain?.rpc.close();
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });

  it("serves both ports and admits a pass, from the bundle alone", async function () {
    const sources = JSON.parse(readFileSync(join(bundle, BUNDLE_SOURCES), "utf8")) as BundleSources;
    const files = Object.keys(sources);
    expect(files, "the bundled sources").to.include.members(["server/main.ts", "server/start.ts", "server/gate/service.ts", "lib/pass/verify.ts"]);
    expect(files.some((f) => f.includes("node_modules/")), "packages stay in node_modules").to.equal(false);

    // Node's own arguments only: no --import tsx (production installs no development dependency).
    const server = await spawnServer(serverEnv(chain.rpcUrl, venue.platform, tempDatabase()), ["--no-warnings", join(bundle, "server/start.mjs")]);
    try {
      expect((await fetch(`${server.url}/health`)).ok, "the public port").to.equal(true);
      const cookie = await signInOverHttp(server.gateUrl, venue.staff);
      const fan = await fanPasses(venue.fans[0], venue.event, 1);
      const scan = await scanOverHttp(server.gateUrl, cookie, venue.event, await fan.pass(tokenId(1, 1)));
      expect(scan.status, JSON.stringify(scan.body)).to.equal(200);
      expect(scan.body.verdict).to.equal("admit");
    } finally {
      await server.stop();
    }
  });

  it("refuses to start from a bundle of other source, naming the file and the command", function () {
    const file = join(bundle, BUNDLE_SOURCES);
    const sources = JSON.parse(readFileSync(file, "utf8")) as BundleSources;
    // As if server/gate/service.ts had been edited since the build.
    writeFileSync(file, JSON.stringify({ ...sources, "server/gate/service.ts": digestOf(Buffer.from("yesterday's service.ts")) }));
    try {
      const run = spawnSync(process.execPath, [join(bundle, "server/start.mjs")], {
        env: { ...process.env, ...serverEnv(chain.rpcUrl, venue.platform, tempDatabase()) },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.status, run.stderr).to.equal(1);
      expect(run.stderr).to.contain(`chainpass server: server/gate/service.ts changed after the bundle in ${bundle} was built; run npm run build:server`);
    } finally {
      writeFileSync(file, JSON.stringify(sources));
    }
  });

  it("staleBundle: the same content (even with a new or future modification time), an edit, a file gone, no bundle", function () {
    const root = mkdtempSync(join(tmpdir(), "chainpass-sources-"));
    const dir = join(root, "dist");
    try {
      mkdirSync(join(root, "server"));
      mkdirSync(dir);
      writeFileSync(join(root, "server/a.ts"), "export const a = 1;\n");
      writeFileSync(join(dir, BUNDLE_SOURCES), JSON.stringify({ "server/a.ts": digestOf(Buffer.from("export const a = 1;\n")) } satisfies BundleSources));
      expect(staleBundle(dir, root), "as bundled").to.equal(undefined);
      // A checkout or a copy that keeps the content, with its clock ahead: still the same source.
      const ahead = new Date(Date.now() + 86_400_000);
      utimesSync(join(root, "server/a.ts"), ahead, ahead);
      expect(staleBundle(dir, root), "touched, a day ahead").to.equal(undefined);

      writeFileSync(join(root, "server/a.ts"), "export const a = 2;\n");
      expect(staleBundle(dir, root)).to.equal(`server/a.ts changed after the bundle in ${dir} was built`);

      rmSync(join(root, "server/a.ts"));
      expect(staleBundle(dir, root)).to.equal(`server/a.ts, bundled in ${dir}, is gone`);

      expect(staleBundle(join(root, "nowhere"), root)).to.equal(`no bundled build in ${join(root, "nowhere")}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
