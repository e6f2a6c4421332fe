// `npm run dev` (issue 6, requirement 1), as a new developer runs it: scripts/dev.ts under
// `hardhat run`, on free ports and a temporary database so a running dev instance is not touched.
// It must print one URL, serve the app, the server and the seeded demo events behind it, work in
// a browser, and stop every process it started on Ctrl-C (SIGINT).
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { supervise, type Supervised } from "../../scripts/lib/supervisor.js";
import { launchBrowser, newPage } from "./support/browser.js";
import { eventually } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { freePort } from "./support/stack.js";

const ROOT = resolve(import.meta.dirname, "../..");
const HARDHAT = join(ROOT, "node_modules/hardhat/dist/src/cli.js");

/** Whether something accepts TCP connections on the port (IPv4 or IPv6 loopback). */
const listening = (port: number) =>
  Promise.all(
    ["127.0.0.1", "::1"].map(
      (host) =>
        new Promise<boolean>((done) => {
          const socket = connect({ host, port }, () => {
            socket.destroy();
            done(true);
          }).once("error", () => done(false));
        }),
    ),
  ).then((answers) => answers.some(Boolean));

interface Community {
  membershipPrograms: { name: string; levelNames: string[]; members: { level: number; earned: string }[] }[];
  channels: { label: string; ticketsSold: string; commissionOwed: string }[];
}

describe("npm run dev", function () {
  this.timeout(240_000);
  let dev: Supervised | undefined;
  let dir: string;
  let output = "";

  after(async () => {
    await dev?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(output.split("\n").slice(-40).join("\n"));
  });

  it("starts the chain, the server and the app behind one URL with the demo events, and Ctrl-C stops everything", async function () {
    const ports = { rpc: await freePort(), server: await freePort(), gate: await freePort(), app: await freePort(), bundler: await freePort() };
    dir = mkdtempSync(join(tmpdir(), "chainpass-dev-"));
    dev = supervise("npm run dev", process.execPath, [HARDHAT, "run", "scripts/dev.ts"], {
      cwd: ROOT,
      env: {
        CHAINPASS_RPC_PORT: String(ports.rpc),
        CHAINPASS_PORT: String(ports.server),
        CHAINPASS_GATE_PORT: String(ports.gate),
        CHAINPASS_APP_PORT: String(ports.app),
        CHAINPASS_BUNDLER_PORT: String(ports.bundler),
        CHAINPASS_DEV_DB: join(dir, "dev.db"),
      },
      onOutput: (chunk) => (output += chunk),
    });
    const child = dev.child;
    const exited = dev.exited.then(({ code }) => code);

    const url = await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}`);
        return output.match(/Chainpass is running: (http:\/\/\S+)/)?.[1];
      },
      "the URL is printed",
      180_000,
    );
    expect(url).to.equal(`http://localhost:${ports.app}`);
    expect(output.match(/https?:\/\/\S+/g)?.filter((u) => u.startsWith("http://localhost:")).length, "one URL to open").to.equal(1);

    // The app, and the server and index through the app's proxy.
    const html = await (await fetch(url)).text();
    expect(html).to.contain('<div id="root">');
    expect((await fetch(`${url}/health`)).ok).to.equal(true);
    const response = await fetch(`${url}/subgraphs/name/chainpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ events(orderBy: start) { name ticketsSold ticketsCheckedIn } listings(where: { open: true }) { tokenId } }" }),
    });
    const { data } = (await response.json()) as { data: { events: { name: string; ticketsSold: string; ticketsCheckedIn: string }[]; listings: unknown[] } };
    // The three demo events, and the calendar events (seedSeasons): a museum season named after its years, a theatre run.
    const names = data.events.map((e) => e.name).sort();
    expect(names.filter((name) => !name.startsWith("Harbour Museum — "))).to.deep.equal(["ChainConf Shanghai 2026", "Harbour Lights Live", "Museum of Light", "The Tempest"]);
    expect(names.filter((name) => /^Harbour Museum — \d{4}–\d{2} season$/.test(name))).to.have.length(1);
    expect(data.events.every((e) => Number(e.ticketsSold) > 0), "every demo event has sales").to.equal(true);
    expect(data.events.reduce((n, e) => n + Number(e.ticketsCheckedIn), 0), "check-ins").to.be.greaterThan(0);
    expect(data.listings.length, "tickets on the resale market").to.be.greaterThan(0);

    // Passkey accounts: the bundler (Alto) and the sponsorship service behind the app's URL.
    const rpcCall = async (path: string, method: string, params: unknown[]) =>
      (await (await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json()) as {
        result?: unknown;
        error?: { data?: { reason?: string } };
      };
    expect((await rpcCall("/bundler", "eth_supportedEntryPoints", [])).result).to.deep.equal(["0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108"]);
    expect((await rpcCall("/paymaster", "pm_getPaymasterStubData", [{}, "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108", "0x7a69", {}])).error?.data?.reason, "the sponsorship service answers").to.equal("bad-request");

    // The organizer's membership program with members at three levels (set on chain by the server's
    // points signer, every 2 s here) and the concert's two sales channels with their sales.
    const community = await eventually(
      async () => {
        const answer = await fetch(`${url}/subgraphs/name/chainpass`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ membershipPrograms { name levelNames members(orderBy: level) { level earned } } channels(orderBy: channelId) { label ticketsSold commissionOwed } }" }),
        });
        const { data } = (await answer.json()) as { data: Community };
        const levels = data.membershipPrograms[0]?.members.map((m) => m.level);
        return levels?.length === 3 && new Set(levels).size === 3 ? data : undefined;
      },
      "members at three levels",
      60_000,
    );
    const [program] = community.membershipPrograms;
    expect(program.name).to.equal("Harbour Club");
    expect(program.members.map((m) => [m.level, m.earned])).to.deep.equal([
      [0, "200"],
      [1, "300"],
      [2, "1600"],
    ]);
    expect(program.levelNames.slice(0, 2)).to.deep.equal(["Silver", "Gold"]);
    expect(community.channels.map((c) => [c.label, c.ticketsSold])).to.deep.equal([
      ["Harbour Box Office", "2"],
      ["Blue Wave Travel", "3"],
    ]);
    expect(community.channels.every((c) => BigInt(c.commissionOwed) > 0n), "commissions owed").to.equal(true);

    // The app as a browser gets it from Vite's dev server.
    const browser = await launchBrowser();
    try {
      const { page } = await newPage(browser);
      await page.goto(url);
      await eventually(async () => (await page.getByTestId("event-card").count()) === 5, "the five demo events on the explore page", 60_000);
      await screenshot(page, "dev-explore");
    } finally {
      await browser.close();
    }

    // Ctrl-C: every process goes, every port is free again.
    child.kill("SIGINT");
    const timeout = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), 20_000));
    expect(await Promise.race([exited, timeout]), "exit code after Ctrl-C").to.equal(0);
    for (const [name, port] of Object.entries(ports)) {
      await eventually(async () => !(await listening(port)), `the ${name} port ${port} is released`, 10_000);
    }
  });
});
