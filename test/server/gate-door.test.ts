// The door on a bad night (issue 11): a ticket sold a moment ago is never admitted for its seller
// while the chain can be asked; a reorg is followed both ways; with the RPC down every answer is
// a verdict or a named 503, never a 5xx, never an admission it cannot justify; a contract wallet
// verified online is still admitted offline.
import { expect } from "chai";
import base45 from "base45";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toHex, type Address } from "viem";
import { WebSocket, WebSocketServer } from "ws";

import { decodePass, passToBytes } from "../../lib/pass/index.js";
import { buildApp, type App } from "../../server/app.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { contractWalletPasses, deployContractWallet } from "../helpers/contract-wallet.js";
import { eventually } from "../helpers/eventually.js";
import { rpc } from "../helpers/indexer.js";
import { startRpcLink } from "../helpers/rpc-link.js";
import { captureOutput, fanPasses, GATE_ROLE, signIn, startLocalChain, testConfig, tokenId, venueFixture } from "../helpers/server.js";

type Chain = Awaited<ReturnType<typeof startLocalChain>>;
type Venue = Awaited<ReturnType<typeof venueFixture>>;

async function scanner(app: App, event: Address, cookie: string) {
  return async (pass: string) => {
    const response = await app.server.inject({ method: "POST", url: `/gate/${event}/scan`, headers: { cookie }, payload: { pass } });
    return { status: response.statusCode, body: response.json() as { verdict: string; reason?: string; message?: string; offline?: boolean } };
  };
}

/** A JSON-RPC head read (`eth_getBlockByNumber("latest")`), as the gate sends it. */
const isHeadRead = (body: string) => /"method":"eth_getBlockByNumber","params":\["latest"/.test(body);

/**
 * A JSON-RPC proxy to `target`, over HTTP and over its WebSocket, standing for a node busy mining:
 * while `hold` is set, every head read on either is kept unanswered until `release()`; everything
 * else (the node's announcements of new heads among it) goes through. While `silent` is set, the
 * WebSocket carries nothing either way (a link that died without closing); HTTP still works.
 * `headReads` counts the head reads each way. `delayMs` delays every message each way, on both (a
 * node that far away), in order.
 */
async function holdingProxy(target: string) {
  const waiting: (() => void)[] = [];
  const held = () => (state.hold ? new Promise<void>((r) => waiting.push(r)) : undefined);
  const delayed = () => (state.delayMs ? new Promise<void>((r) => setTimeout(r, state.delayMs)) : undefined);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    const forward = async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (isHeadRead(body)) {
        state.headReads.http++;
        await held();
      }
      await delayed();
      try {
        const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await answer.text();
        await delayed();
        res.writeHead(answer.status, { "content-type": "application/json" }).end(text);
      } catch {
        res.destroy();
      }
    };
    req.on("end", () => void forward());
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) =>
    sockets.handleUpgrade(req, socket, head, (client) => {
      const upstream = new WebSocket(target.replace(/^http/, "ws"));
      const opened = new Promise((r) => upstream.once("open", r));
      const relay = async (text: string) => {
        if (state.silent) return;
        if (isHeadRead(text)) {
          state.headReads.ws++;
          await held();
        }
        await delayed();
        await opened;
        upstream.send(text);
      };
      client.on("message", (data) => void relay(String(data)));
      upstream.on("message", (data) => {
        const text = String(data);
        if (!state.delayMs) return void (state.silent || client.send(text));
        setTimeout(() => void (state.silent || client.send(text)), state.delayMs);
      });
      client.on("close", () => upstream.close());
      upstream.on("close", () => client.close());
      upstream.on("error", () => client.terminate());
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const state = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: false,
    silent: false,
    delayMs: 0,
    headReads: { http: 0, ws: 0 },
    get held() {
      return waiting.length;
    },
    release() {
      state.hold = false;
      for (const go of waiting.splice(0)) go();
    },
    close: () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
  return state;
}

// "Online" is the barrier answering within CHAINPASS_FRESHNESS_TIMEOUT_MS (500 ms by default);
// slower, the gate says it is offline and admits from its snapshot. On a machine as loaded as CI's
// (three test lanes on two cores) a barrier has taken longer than 500 ms, so the online tests give
// it this long: what they show is the barrier's logic, not the default's margin.
const ONLINE_TIMEOUT_MS = 4000;
const SLOW_HEAD_MS = 150;
const online = { CHAINPASS_SNAPSHOT_INTERVAL_MS: "3600000", CHAINPASS_FRESHNESS_TIMEOUT_MS: String(ONLINE_TIMEOUT_MS) };

/**
 * Waits until the gate has read the event. Its chain thread's first answer includes the thread's
 * start: on a loaded machine (the test lanes side by side) that once took longer than one open's
 * limit (12 s), so the open is asked again until it answers.
 */
const eventOpened = (app: App, event: Address) =>
  eventually(async () => (await app.gate.event(event).catch(() => undefined)) !== undefined, "the gate read the event", 60_000);

/**
 * A gate reaching a fresh local chain through a holdingProxy (set up by `proxied` first), signed in,
 * its event opened and the node's heads followed. What it starts is closed by `closers`, last first.
 */
async function gateBehindProxy(closers: (() => unknown)[], env: Record<string, string>, proxied: (proxy: Awaited<ReturnType<typeof holdingProxy>>) => void = () => undefined) {
  const chain = await startLocalChain();
  closers.push(() => chain.rpc.close());
  const venue = await venueFixture(chain.clients);
  const proxy = await holdingProxy(chain.rpcUrl);
  closers.push(() => proxy.close());
  proxied(proxy);
  const app = buildApp(testConfig(proxy.url, venue.platform, {}, { ...online, ...env }));
  closers.push(async () => {
    proxy.release();
    await app.close();
  });
  app.start();
  const cookie = await signIn(app, venue.staff);
  await eventOpened(app, venue.event);
  const scan = await scanner(app, venue.event, cookie);
  await eventually(async () => app.gate.chain.headsFollowed, "the node's heads followed", 10_000);
  return { chain, venue, proxy, app, scan };
}

describe("Server: the door on a bad night", function () {
  this.timeout(180_000);

  describe("online: freshness and reorgs", function () {
    let chain: Chain;
    let venue: Venue;
    let app: App;
    let scan: (pass: string) => ReturnType<Awaited<ReturnType<typeof scanner>>>;
    const buyer = localAccount(8);

    before(async function () {
      chain = await startLocalChain();
      venue = await venueFixture(chain.clients);
      // The follower's own polling is off (an hour): only a scan's freshness barrier can have
      // brought the snapshot up to date.
      app = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, online));
      app.start();
      const cookie = await signIn(app, venue.staff);
      await eventOpened(app, venue.event);
      scan = await scanner(app, venue.event, cookie);
    });
    after(async function () {
      await app?.close();
      await chain?.rpc.close();
    });

    for (const [i, delay] of [0, 10, 100].entries()) {
      it(`never admits the seller's pass for a ticket sold ${delay} ms before the scan`, async function () {
        const seller = venue.fans[1];
        const id = tokenId(1, 11 + i); // fan 1's tickets are 11 to 20
        const sellerPass = await (await fanPasses(seller, venue.event, 2)).pass(id); // on the seller's phone before the sale
        await venue.write("transferFrom", [seller.address, buyer.address, id], seller);
        if (delay) await new Promise((r) => setTimeout(r, delay));
        const { status, body } = await scan(sellerPass);
        expect(status, JSON.stringify(body)).to.equal(422);
        expect(body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
        expect(body.message).to.contain(buyer.address);
        // The buyer gets in with their own pass.
        const buyerScan = await scan(await (await fanPasses(buyer, venue.event, 8)).pass(id));
        expect(buyerScan.status, JSON.stringify(buyerScan.body)).to.equal(200);
      });
    }

    it("does not wait for the follower over blocks of its own check-ins, and still catches a sale mined after them", async function () {
      // A gate that writes its admissions on chain, with the follower's own polling off: the
      // barrier alone decides what the snapshot must read before a scan.
      const writing = buildApp(
        testConfig(chain.rpcUrl, venue.platform, {}, { ...online, CHAINPASS_GATE_KEY: toHex(venue.writer.getHdKey().privateKey!), CHAINPASS_GATE_BATCH_INTERVAL_MS: "20" }),
      );
      writing.start();
      try {
        await eventOpened(writing, venue.event); // its chain thread's start (a rehearsal's first scan waited past its 12 s)
        const scanHere = await scanner(writing, venue.event, await signIn(writing, venue.staff));
        const status = async () =>
          (await writing.server.inject({ method: "GET", url: `/gate/${venue.event}/status`, headers: { cookie: await signIn(writing, venue.staff) } })).json() as {
            snapshot: { block: number };
          };
        const holder = venue.fans[2];
        const passes = await fanPasses(holder, venue.event, 3);
        expect((await scanHere(await passes.pass(tokenId(1, 21)))).body).to.include({ verdict: "admit" });
        const synced = (await status()).snapshot.block;
        // The writer's batch is mined: a new head holding only this gate's transaction.
        await eventually(async () => (await writing.gate.ledger.batches()).some((b) => b.state === "confirmed"), "the batch is mined", 10_000);
        const head = await chain.clients.publicClient.getBlockNumber();
        expect(head > BigInt(synced), "the chain moved past the snapshot").to.equal(true);
        expect((await scanHere(await passes.pass(tokenId(1, 22)))).body).to.include({ verdict: "admit", offline: false });
        expect((await status()).snapshot.block, "no follower round was needed for our own block").to.equal(synced);

        // A sale on top of our block: the barrier now waits for the follower, and the seller is refused.
        await venue.write("transferFrom", [holder.address, buyer.address, tokenId(1, 23)], holder);
        const seller = await scanHere(await passes.pass(tokenId(1, 23)));
        expect(seller.body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
        expect((await status()).snapshot.block).to.be.greaterThan(synced);
      } finally {
        await writing.close();
      }
    });

    it("follows a reorg: a sale reorganized away belongs to the seller again, and to the buyer once it is mined again", async function () {
      const seller = venue.fans[1];
      const id = tokenId(1, 15);
      const sellerPasses = await fanPasses(seller, venue.event, 2);
      const buyerPasses = await fanPasses(buyer, venue.event, 8);
      const before = await rpc<string>(chain.rpcUrl, "evm_snapshot");
      await venue.write("transferFrom", [seller.address, buyer.address, id], seller);
      expect((await scan(await sellerPasses.pass(id))).body.message, "sold").to.contain(buyer.address);

      // The block with the sale is reorganized away; the new chain grows past the old height.
      await rpc(chain.rpcUrl, "evm_revert", [before]);
      for (let b = 0; b < 3; b++) await rpc(chain.rpcUrl, "evm_mine");
      const afterReorg = await scan(await buyerPasses.pass(id));
      expect(afterReorg.body, "the sale is gone").to.include({ verdict: "refuse", reason: "delegation-not-by-owner" });
      expect(afterReorg.body.message).to.contain(seller.address);

      // And back: the sale is mined again.
      await venue.write("transferFrom", [seller.address, buyer.address, id], seller);
      expect((await scan(await sellerPasses.pass(id))).body.message, "sold again").to.contain(buyer.address);
      expect((await scan(await buyerPasses.pass(id))).status).to.equal(200);
    });

    // Last of this block: the staff member loses the role.
    it("admits nothing for staff whose GATE role was revoked in a block the scan reads (the route's check saw the role): 403 not-gate-staff", async function () {
      const holder = venue.fans[0];
      const id = tokenId(1, 5); // fan 0's tickets are 1 to 10
      const pass = await (await fanPasses(holder, venue.event, 1)).pass(id);
      await venue.write("revokeRole", [GATE_ROLE, venue.staff.address]);
      // The follower's polling is off: only the scan's freshness barrier reads the revocation.
      const { status, body } = await scan(pass);
      expect(status, JSON.stringify(body)).to.equal(403);
      expect(body).to.include({ error: "not-gate-staff" });
      expect(await app.gate.ledger.isAdmitted(venue.event, id)).to.equal(false);
      // The next request is refused at the door of the route.
      expect((await scan(pass)).status).to.equal(403);
    });
  });

  describe("online, a node slow to answer its head (busy mining), and a WebSocket gone silent", function () {
    let chain: Chain;
    let venue: Venue;
    let app: App;
    let proxy: Awaited<ReturnType<typeof holdingProxy>>;
    let scan: (pass: string) => ReturnType<Awaited<ReturnType<typeof scanner>>>;
    const buyer = localAccount(8);
    const closers: (() => unknown)[] = [];

    before(async function () {
      // JSON-RPC and the node's WebSocket through a proxy that can hold head reads, as a node
      // busy mining does, and silence the socket. A head read slower than SLOW_HEAD_MS is asked
      // again over HTTP (5 ms by default): on a loaded machine the socket's answer alone can take
      // longer than that.
      ({ chain, venue, app, proxy, scan } = await gateBehindProxy(closers, { CHAINPASS_FRESHNESS_SLOW_HEAD_MS: String(SLOW_HEAD_MS) }));
    });
    after(async function () {
      for (const close of closers.reverse()) await close();
    });

    /**
     * Scans the passes in turn until one is decided on a head read on the socket alone; returns the
     * head reads each scan made. One slower than SLOW_HEAD_MS is rightly read over HTTP too, and a
     * machine as loaded as CI's has made one that slow: a gate that read over HTTP at every scan
     * fails here, a slow moment does not.
     */
    async function scansUntilSocketAlone(passes: string[]) {
      const reads: { ws: number; http: number }[] = [];
      for (const pass of passes) {
        const before = { ...proxy.headReads };
        expect((await scan(pass)).body).to.include({ verdict: "admit", offline: false });
        reads.push({ ws: proxy.headReads.ws - before.ws, http: proxy.headReads.http - before.http });
        if (reads.at(-1)!.ws > 0 && reads.at(-1)!.http === 0) break;
      }
      return reads;
    }
    const socketAlone = (reads: { ws: number; http: number }[]) => reads.some((r) => r.ws > 0 && r.http === 0);

    /**
     * Scans a pass of a ticket its bearer does not hold (refused, after asking the node, as a newer
     * view could turn it around): the gate then has a round trip of the last second, without which
     * it does not decide on an announcement.
     */
    async function measureRoundTrip() {
      const pass = await (await fanPasses(venue.fans[0], venue.event, 4)).pass(tokenId(1, 21)); // fan 2's ticket
      expect((await scan(pass)).body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner" });
    }

    it("reads the head on the WebSocket it follows, not over HTTP", async function () {
      const holder = venue.fans[2]; // tickets 21 to 30
      const passes = await fanPasses(holder, venue.event, 4);
      const reads = await scansUntilSocketAlone([await passes.pass(tokenId(1, 21)), await passes.pass(tokenId(1, 25)), await passes.pass(tokenId(1, 29))]);
      expect(socketAlone(reads), `head reads per scan: ${JSON.stringify(reads)}`).to.equal(true);
    });

    it("decides on the last announced head instead of waiting for the read, and says it is online", async function () {
      const holder = venue.fans[2]; // tickets 21 to 30
      const passes = await fanPasses(holder, venue.event, 4);
      await measureRoundTrip();
      proxy.hold = true;
      const { status, body } = await scan(await passes.pass(tokenId(1, 22)));
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ verdict: "admit", offline: false });
      expect(proxy.held, "answered while the head read was still held").to.be.greaterThan(0);
      proxy.release();
    });

    it("still never admits a seller: a sale announced is a block the snapshot must read first", async function () {
      const seller = venue.fans[2];
      const id = tokenId(1, 23);
      const sellerPass = await (await fanPasses(seller, venue.event, 4)).pass(id);
      await measureRoundTrip();
      proxy.hold = true;
      await venue.write("transferFrom", [seller.address, buyer.address, id], seller);
      const answer = scan(sellerPass);
      // Held past both slow-head waits: the announcement decides, not the read.
      await new Promise((r) => setTimeout(r, SLOW_HEAD_MS * 4));
      proxy.release();
      const { status, body } = await answer;
      expect(status, JSON.stringify(body)).to.equal(422);
      expect(body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
      expect(body.message).to.contain(buyer.address);
    });

    it("with the WebSocket gone silent, reads the head over HTTP: a seller is still refused, online, and the socket is used again once it speaks", async function () {
      const seller = venue.fans[2];
      const id = tokenId(1, 24);
      const sellerPass = await (await fanPasses(seller, venue.event, 4)).pass(id);
      const buyerPasses = await fanPasses(buyer, venue.event, 5);
      proxy.silent = true; // announcements and head reads on the socket go nowhere; HTTP works
      // Silent for longer than the freshness timeout: its last announcement is not believed, however slow HTTP is.
      await new Promise((r) => setTimeout(r, ONLINE_TIMEOUT_MS + 100));
      await venue.write("transferFrom", [seller.address, buyer.address, id], seller);
      const before = { ...proxy.headReads };
      const sold = await scan(sellerPass);
      expect(sold.status, JSON.stringify(sold.body)).to.equal(422);
      expect(sold.body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
      expect(sold.body.message).to.contain(buyer.address);
      expect(proxy.headReads.http, "the head read over HTTP once the socket's was slow").to.be.greaterThan(before.http);
      // The socket's read unanswered: later scans read over HTTP straight away.
      const admitted = await scan(await buyerPasses.pass(id));
      expect(admitted.body).to.include({ verdict: "admit", offline: false });
      proxy.silent = false;
      await rpc(chain.rpcUrl, "evm_mine"); // an announcement: the socket speaks again
      await eventually(async () => app.gate.chain.headsFollowed, "the node's heads followed again", 10_000);
      const passes = await fanPasses(seller, venue.event, 6);
      const reads = await scansUntilSocketAlone([await passes.pass(tokenId(1, 26)), await passes.pass(tokenId(1, 27)), await passes.pass(tokenId(1, 28))]);
      expect(socketAlone(reads), `on the socket again, none over HTTP; head reads per scan: ${JSON.stringify(reads)}`).to.equal(true);
    });
  });

  describe("online, a node 40 ms away each way", function () {
    let venue: Venue;
    let scan: (pass: string) => ReturnType<Awaited<ReturnType<typeof scanner>>>;
    const buyer = localAccount(8);
    const closers: (() => unknown)[] = [];

    before(async function () {
      // The slow-head setting as shipped (5 ms): every head read over this link is slower than it.
      ({ venue, scan } = await gateBehindProxy(closers, {}, (proxy) => (proxy.delayMs = 40)));
    });
    after(async function () {
      for (const close of closers.reverse()) await close();
    });

    it("waits for the head read rather than deciding on an announcement the link has not brought yet: a seller scanned just after the sale is refused", async function () {
      const seller = venue.fans[2]; // tickets 21 to 30
      const passes = await fanPasses(seller, venue.event, 4);
      expect((await scan(await passes.pass(tokenId(1, 21)))).body).to.include({ verdict: "admit", offline: false });
      for (const id of [tokenId(1, 22), tokenId(1, 23)]) {
        const sellerPass = await passes.pass(id);
        // Mined (the receipt read beside the proxy), and announced to the gate 40 ms from now.
        await venue.write("transferFrom", [seller.address, buyer.address, id], seller);
        const { status, body } = await scan(sellerPass);
        // Deciding on the announcement after twice 5 ms (or 15, the setting before) admitted him.
        expect(status, JSON.stringify(body)).to.equal(422);
        expect(body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
      }
    });
  });

  describe("online, a link that grows from beside the gate to 40 ms each way", function () {
    let venue: Venue;
    let proxy: Awaited<ReturnType<typeof holdingProxy>>;
    let scan: (pass: string) => ReturnType<Awaited<ReturnType<typeof scanner>>>;
    const buyer = localAccount(8);
    const closers: (() => unknown)[] = [];

    before(async function () {
      ({ venue, proxy, scan } = await gateBehindProxy(closers, {}));
    });
    after(async function () {
      for (const close of closers.reverse()) await close();
    });

    it("at a quiet door, a scan after the link slowed is not decided by the round trips measured before", async function () {
      const seller = venue.fans[2]; // tickets 21 to 30
      const passes = await fanPasses(seller, venue.event, 4);
      // Round trips beside the gate, well under a millisecond.
      for (const id of [tokenId(1, 21), tokenId(1, 22)]) expect((await scan(await passes.pass(id))).body).to.include({ verdict: "admit", offline: false });
      proxy.delayMs = 40;
      await new Promise((r) => setTimeout(r, 1_200)); // no scan for over a second
      const sellerPass = await passes.pass(tokenId(1, 23));
      // Mined (the receipt read beside the proxy), and announced to the gate 40 ms from now.
      await venue.write("transferFrom", [seller.address, buyer.address, tokenId(1, 23)], seller);
      // Decided on the announcement after twice 5 ms by the fast round trips before, he was admitted.
      const { status, body } = await scan(sellerPass);
      expect(status, JSON.stringify(body)).to.equal(422);
      expect(body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
    });
  });

  describe("offline: the RPC is down", function () {
    let chain: Chain;
    let venue: Venue;
    let app: App;
    let scan: (pass: string) => ReturnType<Awaited<ReturnType<typeof scanner>>>;
    let knownWallet: (id: bigint) => Promise<string>;
    let unknownWallet: (id: bigint) => Promise<string>;
    let registeredWallet: (id: bigint) => Promise<string>;
    let link: Awaited<ReturnType<typeof startRpcLink>>;

    before(async function () {
      chain = await startLocalChain();
      venue = await venueFixture(chain.clients);
      // Two contract wallets holding tickets of fan 2's: one scanned online, one never.
      const known = await deployContractWallet(chain, localAccount(10).address);
      const unknown = await deployContractWallet(chain, localAccount(11).address);
      const registered = await deployContractWallet(chain, localAccount(12).address);
      const fan = venue.fans[2];
      for (const [to, serial] of [
        [known, 21],
        [known, 22],
        [unknown, 23],
        [registered, 25],
      ] as const) {
        await venue.write("transferFrom", [fan.address, to, tokenId(1, serial)], fan);
      }
      knownWallet = await contractWalletPasses(known, 10, venue.event, 10);
      unknownWallet = await contractWalletPasses(unknown, 11, venue.event, 11);
      const registeredPasses = await contractWalletPasses(registered, 12, venue.event, 12, { registered: true });
      registeredWallet = registeredPasses;

      link = await startRpcLink(chain.rpcUrl);
      app = buildApp(testConfig(link.url, venue.platform));
      app.start();
      const cookie = await signIn(app, venue.staff);
      await eventOpened(app, venue.event);
      scan = await scanner(app, venue.event, cookie);
      const online = await scan(await knownWallet(tokenId(1, 21)));
      expect(online.status, JSON.stringify(online.body)).to.equal(200); // EIP-1271, asked online
      // The third wallet's signature is registered online (POST /gate/:event/delegations does this; the route only takes long signatures).
      const snapshot = await app.gate.event(venue.event);
      expect(await app.gate.registerDelegation(snapshot!, registeredPasses.delegation, registered, registeredPasses.walletSignature)).to.deep.equal({ ok: true });
      link.down();
      expect(await app.gate.refresh()).to.equal(false);
    });
    after(async function () {
      await app?.close();
      await link?.close();
      await chain?.rpc.close();
    });

    it("admits another ticket of a contract wallet it verified online", async function () {
      const { status, body } = await scan(await knownWallet(tokenId(1, 22)));
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ verdict: "admit", offline: true });
    });

    it("admits a pass that carries no signature, its delegation registered online (as a passkey account's)", async function () {
      const { status, body } = await scan(await registeredWallet(tokenId(1, 25)));
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ verdict: "admit", offline: true });
    });

    it("answers 503 cannot-verify-offline for a contract wallet it never verified, and admits nothing", async function () {
      const { status, body } = await scan(await unknownWallet(tokenId(1, 23)));
      expect(status).to.equal(503);
      expect(body).to.include({ verdict: "refuse", reason: "cannot-verify-offline" });
    });

    it("mutation sweep: every byte of a valid pass flipped, every truncation: a 4xx or a named 503, never a 5xx, never an admission, nothing printed", async function () {
      const fan = venue.fans[2];
      const id = tokenId(1, 24);
      const valid = await (await fanPasses(fan, venue.event, 3)).pass(id);
      const bytes = passToBytes(decodePass(valid));
      const before = (await app.gate.ledger.counts(venue.event)).admitted;
      const seen = new Map<string, number>();
      const check = async (text: string, what: string) => {
        const { status, body } = await scan(text);
        const label = `${status} ${body.reason ?? (body as { error?: string }).error}`;
        seen.set(label, (seen.get(label) ?? 0) + 1);
        expect(status, `${what}: ${JSON.stringify(body)}`).to.not.equal(200);
        if (status >= 500) expect(body, `${what}: only a named 503`).to.include({ reason: "cannot-verify-offline" });
        expect(status, what).to.be.within(400, 503);
      };
      // Refused input is quiet: no stack trace or warning per bad pass (anyone could flood the logs).
      const printed = await captureOutput(async () => {
        for (let i = 0; i < bytes.length; i++) {
          for (const mask of [0x01, 0x80]) {
            const mutated = bytes.slice();
            mutated[i] ^= mask;
            await check(base45.encode(Buffer.from(mutated)), `byte ${i} ^ ${mask}`);
          }
        }
        for (let length = 0; length < valid.length; length += 7) await check(valid.slice(0, length) || "x", `first ${length} characters`);
      });
      expect(printed, "printed while refusing the sweep's passes").to.deep.equal([]);
      expect((await app.gate.ledger.counts(venue.event)).admitted, "nothing admitted by the sweep").to.equal(before);
      // Every kind of refusal met, for the record when this fails: e.g. "422 bad-frame-signature".
      expect([...seen.keys()].some((k) => k.startsWith("422 bad-frame-signature"))).to.equal(true);
      // The pass itself is still good: the sweep did not poison anything.
      expect((await scan(valid)).status).to.equal(200);
    });
  });
});
