import { expect } from "chai";
import type { Address } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { buildApp } from "../../server/app.js";
import type { SqliteLedgerAdapter } from "../../server/gate/async-ledger.js";
import type { EventSnapshot } from "../../server/gate/snapshot.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { eventually } from "../helpers/eventually.js";
import { rpc } from "../helpers/indexer.js";
import { startRpcLink } from "../helpers/rpc-link.js";
import { slotWindow, tokenIdOf, type CalendarRule } from "../../lib/calendar.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { eventWriter, fanPasses, GATE_ROLE, gateReady, now, signIn, startLocalChain, tempDatabase, testConfig, tokenId, venueFixture } from "../helpers/server.js";

/**
 * Until `gate`'s freshness barrier got through and its snapshot of `event` satisfies `condition`:
 * on a loaded machine the node can answer slower than the barrier's limit, and the gate then
 * answers from the snapshot it had.
 */
const caughtUp = (gate: ReturnType<typeof buildApp>, event: string, what: string, condition: (snapshot: EventSnapshot) => boolean) =>
  eventually(async () => (await gate.gate.refresh()) && condition((await gate.gate.event(event))!), what, 10_000);

const WRITER_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"; // local account 4

describe("Server: gate", function () {
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  let app: ReturnType<typeof buildApp>;
  let staffCookie: string;

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
  });
  after(async function () {
    await chain.rpc.close();
  });
  beforeEach(async function () {
    app = buildApp(testConfig(chain.rpcUrl, venue.platform));
    staffCookie = await signIn(app, venue.staff);
  });
  afterEach(async function () {
    await app.close();
  });

  const scan = (pass: unknown, event: string = venue.event, cookie = staffCookie, headers: Record<string, string> = {}) =>
    app.server.inject({
      method: "POST",
      url: `/gate/${event}/scan`,
      headers: { cookie, ...headers },
      payload: typeof pass === "string" && headers["content-type"] ? pass : ({ pass } as object),
    });

  describe("admission", function () {
    it("admits a valid pass once, with the ticket's tier, and refuses it the second time", async function () {
      const fan = await fanPasses(venue.fans[0], venue.event, 1);
      const first = await scan(await fan.pass(tokenId(1, 1)));
      expect(first.statusCode).to.equal(200);
      expect(first.json()).to.deep.include({ verdict: "admit", holder: venue.fans[0].address });
      expect(first.json().ticket).to.include({ tokenId: "1000001", tierId: 1, tier: "Standing" });
      const again = await scan(await fan.pass(tokenId(1, 1)));
      expect(again.statusCode).to.equal(409);
      expect(again.json()).to.include({ verdict: "refuse", reason: "already-used" });
    });

    it("counts each ticket in once, whether admitted here or checked in on chain another way, off the thread that answers scans", async function () {
      // Every scanner polls the status: the used tickets (late in a stadium event, tens of
      // thousands of ids from the ledger) are read by the chain worker, not here.
      let readHere = 0;
      const { ledger } = app.gate;
      const readAll = ledger.admittedTokenIdsJson.bind(ledger);
      ledger.admittedTokenIdsJson = (event) => (readHere++, readAll(event));
      const status = async () => (await app.server.inject({ method: "GET", url: `/gate/${venue.event}/status`, headers: { cookie: staffCookie } })).json();
      const before = await status();
      await venue.write("checkIn", [[tokenId(1, 5)]], venue.writer); // not through this gate
      await app.gate.refresh();
      const fan = await fanPasses(venue.fans[0], venue.event, 1);
      expect((await scan(await fan.pass(tokenId(1, 6)))).statusCode).to.equal(200);
      await new Promise((r) => setTimeout(r, 1100)); // the count is cached for a second
      const after = await status();
      expect(after.ledger.admitted - before.ledger.admitted, "admitted by these gates").to.equal(1);
      expect(after.entered - before.entered, "tickets in").to.equal(2);
      expect(readHere, "admitted ids read on the scan thread").to.equal(0);
    });

    it("answers a door's status polls arriving together with one or two reads of the counts, each counting the admissions made before it asked", async function () {
      const { ledger } = app.gate;
      const readCounts = ledger.counts.bind(ledger);
      let reads = 0;
      ledger.counts = (event) => (reads++, readCounts(event));
      try {
        const status = async () => (await app.server.inject({ method: "GET", url: `/gate/${venue.event}/status`, headers: { cookie: staffCookie } })).json();
        const before = (await status()).ledger.admitted;
        const fan = await fanPasses(venue.fans[0], venue.event, 1);
        expect((await scan(await fan.pass(tokenId(1, 7)))).statusCode).to.equal(200);
        reads = 0;
        const answers = await Promise.all(Array.from({ length: 40 }, status));
        expect(reads, "reads of the counts for 40 polls").to.be.within(1, 2);
        expect(new Set(answers.map((a) => a.ledger.admitted)), "each poll counts the admission before it").to.deep.equal(new Set([before + 1]));
      } finally {
        ledger.counts = readCounts;
      }
    });

    it("reports a seated ticket's seat", async function () {
      const fan = await fanPasses(venue.fans[0], venue.event, 1);
      const response = await scan(await fan.pass(tokenId(2, 13)));
      expect(response.json().ticket).to.include({ tier: "Stalls", seat: "Stalls, Row B, Seat 3" });
    });

    it("answers a timed ticket before its entry slot with too-early, and names the slot", async function () {
      const fan = await fanPasses(venue.fans[0], venue.event, 1);
      const response = await scan(await fan.pass(tokenId(3, 1)));
      expect(response.statusCode).to.equal(422);
      expect(response.json()).to.include({ reason: "too-early" });
      expect(response.json().ticket.entryStart).to.be.a("number");
    });

    it("admits a season ticket in its calendar slot only: too early before it, outside its slot after it", async function () {
      // A museum open every hour, round the clock, for three days from today (UTC).
      const t = now();
      const firstDay = Math.floor(t / 86_400);
      const museum = await createEvent(
        chain.clients,
        venue.platform.factory,
        venue.organizer,
        { name: "Harbour Museum", symbol: "HM", metadataURI: "ipfs://museum", start: firstDay * 86_400, end: (firstDay + 3) * 86_400 },
        [{ name: "Adult", price: 10n ** 16n, supply: 999_999, saleStart: t - 60, saleEnd: (firstDay + 3) * 86_400 }],
      );
      const write = eventWriter(chain.clients, museum, venue.organizer);
      const rule: CalendarRule = { firstDay, dayCount: 3, utcOffsetMinutes: 0, slotMinutes: 60, saleLeadMinutes: 0, capacity: 10, runs: [{ startMinute: 0, count: 24, weekdays: 127 }], closedDays: [] };
      await write("addCalendar", [rule, [1n]]);
      await write("grantRole", [GATE_ROLE, venue.staff.address]);
      const current = Math.floor((t - firstDay * 86_400) / 3600) + 1;
      const [first, second] = [current + 2, current + 3];
      await write("buySlot", [BigInt(first), [1n], [2n], venue.fans[1].address, 2n * 10n ** 16n], venue.fans[1], 2n * 10n ** 16n);
      await write("buySlot", [BigInt(second), [1n], [1n], venue.fans[1].address, 10n ** 16n], venue.fans[1], 10n ** 16n);
      const [a, b, c] = [tokenIdOf(1, 1, first), tokenIdOf(1, 2, first), tokenIdOf(1, 3, second)];
      await caughtUp(app, museum, "the museum's sales", (snapshot) => snapshot.owners.has(c));
      const snapshot = (await app.gate.event(museum))!;
      const fan = await fanPasses(venue.fans[1], museum, 3);
      const window = slotWindow(rule, first)!;

      const inSlot = window.start + 60;
      const admitted = await app.gate.scan(snapshot, await fan.pass(a, inSlot), venue.staff.address, inSlot);
      expect(admitted).to.deep.include({ verdict: "admit" });
      expect(admitted.ticket).to.include({ tierId: 1, entryStart: window.start, entryEnd: window.end });
      const early = await app.gate.scan(snapshot, await fan.pass(c, inSlot), venue.staff.address, inSlot);
      expect(early).to.include({ verdict: "refuse", reason: "too-early" });
      expect(early.ticket).to.include({ entryStart: slotWindow(rule, second)!.start });
      const after = window.end + 10;
      const late = await app.gate.scan(snapshot, await fan.pass(b, after), venue.staff.address, after);
      expect(late).to.include({ verdict: "refuse", reason: "outside-time-slot" });
    });

    it("refuses a frame replayed after its window", async function () {
      const fan = await fanPasses(venue.fans[1], venue.event, 2);
      const response = await scan(await fan.pass(tokenId(1, 11), now() - 120));
      expect(response.statusCode).to.equal(422);
      expect(response.json()).to.include({ verdict: "refuse", reason: "stale-frame" });
    });

    it("refuses a pass after the ticket moved to someone else", async function () {
      const fan = await fanPasses(venue.fans[1], venue.event, 2);
      const moved = tokenId(1, 12);
      await venue.write("transferFrom", [venue.fans[1].address, venue.fans[2].address, moved], venue.fans[1]);
      await app.gate.refresh();
      const response = await scan(await fan.pass(moved));
      expect(response.statusCode).to.equal(422);
      expect(response.json()).to.include({ reason: "delegation-not-by-owner" });
    });

    it("refuses a pass for another event, and says which event it is for", async function () {
      const fan = await fanPasses(venue.fans[1], "0x000000000000000000000000000000000000dEaD", 2);
      const response = await scan(await fan.pass(tokenId(1, 13)));
      expect(response.statusCode).to.equal(422);
      expect(response.json()).to.include({ reason: "wrong-event", passEvent: "0x000000000000000000000000000000000000dEaD" });
    });
  });

  describe("staff", function () {
    it("requires a signed-in account", async function () {
      const response = await scan("X", venue.event, "");
      expect(response.statusCode).to.equal(401);
      expect(response.json().error).to.equal("not-signed-in");
    });

    it("requires the event's GATE role, read from the chain", async function () {
      const outsider = await signIn(app, localAccount(8));
      const response = await scan("X", venue.event, outsider);
      expect(response.statusCode).to.equal(403);
      expect(response.json().error).to.equal("not-gate-staff");
    });

    it("stops accepting a gate whose role was revoked", async function () {
      const temp = localAccount(9);
      await venue.write("grantRole", [await gateRole(), temp.address]);
      await app.gate.event(venue.event);
      await app.gate.refresh();
      const cookie = await signIn(app, temp);
      expect((await scan("X", venue.event, cookie)).statusCode).to.equal(400); // accepted as staff; the pass is garbage
      await venue.write("revokeRole", [await gateRole(), temp.address]);
      await app.gate.refresh();
      expect((await scan("X", venue.event, cookie)).statusCode).to.equal(403);
    });
  });

  describe("bad input: a 4xx naming the problem, never a 500, never an admission", function () {
    it("refuses a pass that is not a pass", async function () {
      const response = await scan("THIS IS NOT A PASS");
      expect(response.statusCode).to.equal(400);
      expect(response.json()).to.include({ verdict: "refuse", reason: "malformed" });
    });

    it("refuses a body that is not JSON, not an object or missing the pass", async function () {
      for (const [payload, contentType] of [
        ["{not json", "application/json"],
        ['"a string"', "application/json"],
        ['{"pass": 42}', "application/json"],
        ['{"pass": "A", "extra": 1}', "application/json"],
        ["{}", "application/json"],
      ]) {
        const response = await scan(payload, venue.event, staffCookie, { "content-type": contentType });
        expect(response.statusCode, payload).to.equal(400);
        expect(response.json().error, payload).to.be.oneOf(["bad-request", "invalid-request"]);
      }
    });

    it("refuses another content type", async function () {
      const response = await scan("pass=abc", venue.event, staffCookie, { "content-type": "application/x-www-form-urlencoded" });
      expect(response.statusCode).to.equal(415);
      expect(response.json().error).to.equal("unsupported-content-type");
    });

    it("refuses an oversized body", async function () {
      const response = await scan(JSON.stringify({ pass: "A".repeat(20_000) }), venue.event, staffCookie, { "content-type": "application/json" });
      expect(response.statusCode).to.equal(413);
      expect(response.json().error).to.equal("body-too-large");
    });

    it("refuses an unknown event", async function () {
      for (const event of ["0x000000000000000000000000000000000000dEaD", "not-an-address"]) {
        const response = await scan("X", event);
        expect(response.statusCode).to.equal(404);
        expect(response.json().error).to.equal("unknown-event");
      }
    });

    it("admitted nobody through any of that", async function () {
      const status = await app.server.inject({ method: "GET", url: `/gate/${venue.event}/status`, headers: { cookie: staffCookie } });
      expect(status.json().ledger.admitted).to.equal(0);
    });
  });

  /**
   * A gate on a chain of its own (`env`: the gate's settings), its event opened; `work` gets them,
   * and the gate is closed after. `stopRpc` cuts the gate's link to the node: every connection
   * dropped and new ones refused, as when the node's host goes away. Closing the node instead
   * refuses HTTP but keeps its WebSocket connections answering (checked: a socket still answered
   * 3 s after close(), which had not resolved), so the gate's head reads on its socket went on
   * succeeding; once in CI its status did not say the RPC was unreachable within 20 s.
   */
  async function withOwnGate(
    work: (ownVenue: Awaited<ReturnType<typeof venueFixture>>, gate: ReturnType<typeof buildApp>, cookie: string, stopRpc: () => Promise<void>) => Promise<void>,
    env: Record<string, string> = {},
  ) {
    const own = await startLocalChain();
    const link = await startRpcLink(own.rpcUrl);
    const stopRpc = async () => link.down();
    try {
      const ownVenue = await venueFixture(own.clients);
      const gate = buildApp(testConfig(link.url, ownVenue.platform, {}, env));
      try {
        const cookie = await signIn(gate, ownVenue.staff);
        await gateReady(gate, ownVenue.event, cookie);
        await work(ownVenue, gate, cookie, stopRpc);
      } finally {
        await gate.close();
      }
    } finally {
      await link.close();
      await own.rpc.close();
    }
  }
  const scanAt = (gate: ReturnType<typeof buildApp>, event: Address, cookie: string, pass: string) =>
    gate.server.inject({ method: "POST", url: `/gate/${event}/scan`, headers: { cookie }, payload: { pass } });

  describe("when the RPC is unreachable", function () {
    it("keeps admitting from its last snapshot and says so in its status", async function () {
      // A chain of its own, which this test shuts down.
      await withOwnGate(async (ownVenue, gate, cookie, stopRpc) => {
        await stopRpc();
        expect(await gate.gate.refresh()).to.equal(false);

        const fan = await fanPasses(ownVenue.fans[2], ownVenue.event, 3);
        const response = await scanAt(gate, ownVenue.event, cookie, await fan.pass(tokenId(1, 25)));
        expect(response.statusCode).to.equal(200);
        expect(response.json().verdict).to.equal("admit");
        // rpcReachable is the chain thread's own finding (its next round), not the scan's barrier's.
        const status = await eventually(async () => {
          const body = (await gate.server.inject({ method: "GET", url: `/gate/${ownVenue.event}/status`, headers: { cookie } })).json();
          return body.snapshot?.rpcReachable === false ? body : undefined;
        }, "the status says the RPC is unreachable", 20_000);
        expect(status.snapshot).to.include({ rpcReachable: false, offline: true, tickets: 32 });
        expect(status.snapshot.lastError).to.be.a("string");
        expect(status.ledger).to.include({ admitted: 1, pendingOnChain: 1 });
      });
    });
  });

  describe("when its disk fails", function () {
    it("answers a scan 503 database-unavailable (scanners then decide on the device), admits nothing, and admits the pass once it can write again", async function () {
      await withOwnGate(async (ownVenue, gate, cookie) => {
        // The ledger's file can no longer be written, as on a file system remounted read-only
        // after disk errors: SQLite's own SQLITE_READONLY on every write.
        const { db } = (gate.gate.ledger as SqliteLedgerAdapter).ledger;
        db.exec("PRAGMA query_only = ON");

        const fan = await fanPasses(ownVenue.fans[2], ownVenue.event, 3);
        const pass = await fan.pass(tokenId(1, 30));
        const failed = await scanAt(gate, ownVenue.event, cookie, pass);
        expect(failed.statusCode, failed.body).to.equal(503);
        expect(failed.json()).to.include({ error: "database-unavailable" });
        expect(await gate.gate.ledger.isAdmitted(ownVenue.event, tokenId(1, 30)), "admitted while it could not write").to.equal(false);

        db.exec("PRAGMA query_only = OFF");
        const admitted = await scanAt(gate, ownVenue.event, cookie, pass);
        expect(admitted.statusCode, admitted.body).to.equal(200);
        expect(admitted.json()).to.include({ verdict: "admit" });
      });
    });
  });

  describe("when its chain thread dies (out of memory, a bug)", function () {
    it("with the RPC down too, goes on admitting from the snapshot it had, offline, instead of refusing every scan", async function () {
      await withOwnGate(async (ownVenue, gate, cookie, stopRpc) => {
        await stopRpc();
        await gate.gate.chain.restartWorker();
        await gate.gate.chain.whenReady(); // the new worker's first act: open the event again, which fails

        const fan = await fanPasses(ownVenue.fans[2], ownVenue.event, 3);
        const admitted = await scanAt(gate, ownVenue.event, cookie, await fan.pass(tokenId(1, 26)));
        expect(admitted.statusCode, admitted.body).to.equal(200);
        expect(admitted.json()).to.include({ verdict: "admit", offline: true });
        // The copy still knows who holds what: fan 1's pass for fan 2's ticket is refused.
        const other = await fanPasses(ownVenue.fans[1], ownVenue.event, 2);
        const refused = await scanAt(gate, ownVenue.event, cookie, await other.pass(tokenId(1, 27)));
        expect(refused.statusCode, refused.body).to.equal(422);
        expect(refused.json()).to.include({ reason: "delegation-not-by-owner", offline: true });
        const status = await gate.server.inject({ method: "GET", url: `/gate/${ownVenue.event}/status`, headers: { cookie } });
        expect(status.statusCode, status.body).to.equal(200);
        expect(status.json().snapshot).to.include({ offline: true, tickets: 32 });
      });
    });

    it("with the RPC up, opens its events again in the new thread and follows the chain on: a ticket moved after the crash is its new holder's", async function () {
      await withOwnGate(async (ownVenue, gate, cookie) => {
        await gate.gate.chain.restartWorker();
        await gate.gate.chain.whenReady();
        // Offline (the old copy, stale) until the new thread has read the event: within 500 ms of a
        // request when the machine is idle, later on a loaded one.
        await eventually(
          async () => (await gate.server.inject({ method: "GET", url: `/gate/${ownVenue.event}/status`, headers: { cookie } })).json().snapshot?.offline === false,
          "the new chain thread read the event",
          30_000,
        );
        const moved = tokenId(1, 12);
        await ownVenue.write("transferFrom", [ownVenue.fans[1].address, ownVenue.fans[2].address, moved], ownVenue.fans[1]);

        const before = await fanPasses(ownVenue.fans[1], ownVenue.event, 2);
        const refused = await scanAt(gate, ownVenue.event, cookie, await before.pass(moved));
        expect(refused.statusCode, refused.body).to.equal(422);
        expect(refused.json()).to.include({ reason: "delegation-not-by-owner", offline: false });
        const after = await fanPasses(ownVenue.fans[2], ownVenue.event, 3);
        const admitted = await scanAt(gate, ownVenue.event, cookie, await after.pass(moved));
        expect(admitted.statusCode, admitted.body).to.equal(200);
        expect(admitted.json()).to.include({ verdict: "admit", offline: false });
      });
    });
  });

  describe("when its chain thread dies while the RPC is down, and the RPC comes back", function () {
    it("follows each event online again as it is opened again: one event no one scans (yesterday's show) does not keep the others offline", async function () {
      // The node through a link this test cuts: closing the node itself could not be undone.
      const own = await startLocalChain();
      const link = await startRpcLink(own.rpcUrl);
      const ownVenue = await venueFixture(own.clients);
      const t = now();
      const yesterday = await createEvent(
        own.clients,
        ownVenue.platform.factory,
        ownVenue.organizer,
        { name: "Harbour Lights, the day before", symbol: "HL0", metadataURI: "ipfs://yesterday", start: t + 1800, end: t + 7200 },
        [{ name: "Standing", price: 10n ** 16n, supply: 100, saleStart: t - 60, saleEnd: t + 1800 }],
      );
      await eventWriter(own.clients, yesterday, ownVenue.organizer)("grantRole", [GATE_ROLE, ownVenue.staff.address]);
      const gate = buildApp(testConfig(link.url, ownVenue.platform));
      const statusOf = async (event: Address) => (await gate.server.inject({ method: "GET", url: `/gate/${event}/status`, headers: { cookie } })).json();
      let cookie = "";
      try {
        cookie = await signIn(gate, ownVenue.staff);
        await gateReady(gate, ownVenue.event, cookie);
        await gateReady(gate, yesterday, cookie);

        link.down();
        await gate.gate.chain.restartWorker();
        await gate.gate.chain.whenReady();
        await gate.gate.chain.opensEnded(); // the new worker's first act: open both events again, which fails
        expect(gate.gate.chain.rpcReachable, "the RPC found unreachable").to.equal(false);
        link.up();

        // Tonight's event is scanned (its status asked) and so opened again; yesterday's never is.
        await eventually(async () => (await statusOf(ownVenue.event)).snapshot?.offline === false, "tonight's event followed online again", 30_000);
        const moved = tokenId(1, 12);
        await ownVenue.write("transferFrom", [ownVenue.fans[1].address, ownVenue.fans[2].address, moved], ownVenue.fans[1]);
        const before = await fanPasses(ownVenue.fans[1], ownVenue.event, 2);
        const refused = await scanAt(gate, ownVenue.event, cookie, await before.pass(moved));
        expect(refused.statusCode, refused.body).to.equal(422);
        expect(refused.json(), "the freshness barrier saw the ticket move").to.include({ reason: "delegation-not-by-owner", offline: false });
        // Yesterday's copy is still the dead worker's until someone asks for it: it alone says offline.
        expect(gate.gate.chain.offlineFor(yesterday), "yesterday's copy, not opened again").to.equal(true);
        await eventually(async () => (await statusOf(yesterday)).snapshot?.offline === false, "yesterday's event followed once asked for", 30_000);
      } finally {
        await gate.close();
        await link.close();
        await own.rpc.close();
      }
    });
  });

  describe("restarted during a show", function () {
    it("opens the events admitted at in the last hours as it starts, before any request asks for them", async function () {
      const db = tempDatabase();
      const before = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_DB: db }));
      try {
        const cookie = await signIn(before, venue.staff);
        const fan = await fanPasses(venue.fans[0], venue.event, 1);
        expect((await scanAt(before, venue.event, cookie, await fan.pass(tokenId(1, 9)))).json()).to.include({ verdict: "admit" });
      } finally {
        await before.close();
      }
      // The same ledger after the restart: nothing has asked for the event yet.
      const restarted = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_DB: db }));
      try {
        expect(restarted.gate.chain.current(venue.event), "not opened by being built").to.equal(undefined);
        restarted.start();
        await eventually(async () => restarted.gate.chain.current(venue.event) !== undefined, "the event opened without a request", 15_000);
      } finally {
        await restarted.close();
      }
    });
  });

  describe("when the event's copy is replaced while a scan waits on the freshness barrier (a new chain thread, a deep reorg)", function () {
    it("reads the new thread's copy after the barrier, not the one the scan started with", async function () {
      // A chain of its own: a ticket changes hands here.
      await withOwnGate(async (ownVenue, gate) => {
        // The copy a scan took before it waited (the route hands it over): the dead thread's.
        const started = (await gate.gate.event(ownVenue.event))!;
        await gate.gate.chain.restartWorker();
        await gate.gate.chain.whenReady();
        await eventually(async () => (await gate.gate.event(ownVenue.event)) !== started && !gate.gate.chain.offlineFor(ownVenue.event), "the new thread's copy in use", 30_000);

        // The ticket moves: only the new thread follows it.
        const moved = tokenId(1, 12);
        await ownVenue.write("transferFrom", [ownVenue.fans[1].address, ownVenue.fans[2].address, moved], ownVenue.fans[1]);
        const before = await fanPasses(ownVenue.fans[1], ownVenue.event, 2);
        const outcome = await gate.gate.scan(started, await before.pass(moved), ownVenue.staff.address);
        expect(outcome, "the barrier saw the ticket move, in the copy that follows the chain").to.deep.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
        const lookedUp = await gate.gate.admitLookedUp(started, moved, ownVenue.fans[1].address, ownVenue.staff.address);
        expect(lookedUp, "a ticket looked up and confirmed for its old holder").to.deep.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
        const newHolder = await fanPasses(ownVenue.fans[2], ownVenue.event, 3);
        expect(await gate.gate.scan(started, await newHolder.pass(moved), ownVenue.staff.address), "its new holder").to.deep.include({ verdict: "admit", offline: false });
      });
    });

    it("reads the event rebuilt after a reorg deeper than its undo log, not the copy from before it", async function () {
      // A chain of its own (its blocks are reorganized away); an undo log of one block.
      await withOwnGate(async (ownVenue, gate) => {
        const { rpcUrl } = gate.config;
        const [seller, buyer] = [ownVenue.fans[1], ownVenue.fans[2]];
        const sold = tokenId(1, 12);
        const buyerPasses = await fanPasses(buyer, ownVenue.event, 3);
        const before = await rpc<string>(rpcUrl, "evm_snapshot");
        await ownVenue.write("transferFrom", [seller.address, buyer.address, sold], seller);
        // Read block by block (each holds a transaction, so the barrier has the follower read it):
        // the undo log keeps the last one, not the sale's.
        expect(await gate.gate.refresh(), "the sale read").to.equal(true);
        for (let b = 0; b < 3; b++) {
          await rpc(rpcUrl, "eth_sendTransaction", [{ from: seller.address, to: seller.address, value: "0x0" }]);
          expect(await gate.gate.refresh()).to.equal(true);
        }
        // The copy a scan takes before it waits: the sale is in it.
        const started = (await gate.gate.event(ownVenue.event))!;
        expect(started.owners.get(sold)?.toLowerCase()).to.equal(buyer.address.toLowerCase());

        // The sale's block and three more are reorganized away (deeper than the undo log): the
        // event is read again from its creation, into a new copy.
        await rpc(rpcUrl, "evm_revert", [before]);
        for (let b = 0; b < 6; b++) await rpc(rpcUrl, "evm_mine");
        const outcome = await gate.gate.scan(started, await buyerPasses.pass(sold), ownVenue.staff.address);
        expect(outcome, "the sale is gone: the ticket is the seller's").to.deep.include({ verdict: "refuse", reason: "delegation-not-by-owner", offline: false });
        expect((await gate.gate.event(ownVenue.event)) !== started, "the event was rebuilt into a new copy").to.equal(true);
      }, { CHAINPASS_GATE_REORG_DEPTH: "1" });
    });
  });

  describe("before the contract accepts check-ins", function () {
    it("refuses a valid pass with door-not-open and the opening time, and admits once the organizer opens earlier", async function () {
      // A chain of its own: the event is postponed here.
      const own = await startLocalChain();
      const ownVenue = await venueFixture(own.clients);
      const gate = buildApp(testConfig(own.rpcUrl, ownVenue.platform));
      try {
        const cookie = await signIn(gate, ownVenue.staff);
        const start = now() + 3 * 86_400;
        await ownVenue.write("reschedule", [start, start + 8 * 3600]);
        await caughtUp(gate, ownVenue.event, "the gate sees the new start", (s) => s.start === start);
        const fan = await fanPasses(ownVenue.fans[1], ownVenue.event, 2);
        const scanOwn = async () =>
          gate.server.inject({ method: "POST", url: `/gate/${ownVenue.event}/scan`, headers: { cookie }, payload: { pass: await fan.pass(tokenId(1, 12)) } });
        const early = await scanOwn();
        expect(early.statusCode).to.equal(409);
        expect(early.json()).to.include({ verdict: "refuse", reason: "door-not-open", opensAt: start - 6 * 3600 });
        expect(early.json().ticket).to.include({ tokenId: "1000012" });
        const status = await gate.server.inject({ method: "GET", url: `/gate/${ownVenue.event}/status`, headers: { cookie } });
        expect(status.json(), "the scanner shows when the door opens").to.include({ checkInOpensAt: start - 6 * 3600, doorOpen: false });

        await ownVenue.write("setCheckInLead", [80]); // 80 hours before a start 72 hours away
        await caughtUp(gate, ownVenue.event, "the gate sees the new lead", (s) => s.checkInLeadHours === 80);
        const open = await scanOwn();
        expect(open.json()).to.include({ verdict: "admit" });
        const opened = await gate.server.inject({ method: "GET", url: `/gate/${ownVenue.event}/status`, headers: { cookie } });
        expect(opened.json()).to.include({ checkInOpensAt: start - 80 * 3600, doorOpen: true });
      } finally {
        await gate.close();
        await own.rpc.close();
      }
    });
  });

  describe("when the organizer undoes a check-in (a leaked gate key's, a mistake)", function () {
    it("lets the ticket in again once the undo is on chain, at this gate and at a gate that never saw it", async function () {
      // Two gates of one venue on one ledger; the first writes admissions on chain (local account 4's key).
      const db = tempDatabase();
      const writing = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_DB: db, CHAINPASS_GATE_KEY: WRITER_KEY }));
      const other = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_DB: db }));
      writing.start();
      try {
        const cookie = await signIn(writing, venue.staff);
        const otherCookie = await signIn(other, venue.staff);
        const fan = await fanPasses(venue.fans[1], venue.event, 2);
        const ticket = tokenId(1, 14);
        const scanAt = async (gate: typeof app, cookie: string) =>
          gate.server.inject({ method: "POST", url: `/gate/${venue.event}/scan`, headers: { cookie }, payload: { pass: await fan.pass(ticket) } });
        const onChain = () =>
          chain.clients.publicClient.readContract({ address: venue.event as Address, abi: chainpassEventAbi, functionName: "isCheckedIn", args: [ticket] });
        const seen = (gate: typeof app, checkedIn: boolean) =>
          caughtUp(gate, venue.event, `the gate sees the ticket ${checkedIn ? "checked in" : "undone"}`, (s) => s.checkedInOnChain.has(ticket) === checkedIn);

        expect((await scanAt(writing, cookie)).json().verdict).to.equal("admit");
        await eventually(onChain, "the writer checked the ticket in on chain", 10_000);
        await eventually(async () => (await writing.gate.ledger.batches()).some((b) => b.state === "confirmed"), "the batch is confirmed in the ledger", 10_000);
        await seen(other, true);
        expect((await scanAt(other, otherCookie)).json()).to.include({ verdict: "refuse", reason: "already-used" });
        expect((await scanAt(writing, cookie)).json()).to.include({ verdict: "refuse", reason: "already-used" });

        await venue.write("undoCheckIn", [[ticket]]);
        expect(await onChain()).to.equal(false);
        await seen(writing, false);
        await seen(other, false);
        expect(await writing.gate.ledger.isAdmitted(venue.event as Address, ticket), "the written admission is forgotten").to.equal(false);
        const again = await scanAt(other, otherCookie);
        expect(again.json(), JSON.stringify(again.json())).to.include({ verdict: "admit" });
        expect((await scanAt(writing, cookie)).json(), "admitted again at the other gate").to.include({ verdict: "refuse", reason: "already-used" });
        await eventually(onChain, "the new admission is on chain too", 10_000);
      } finally {
        await writing.close();
        await other.close();
      }
    });
  });

  async function gateRole() {
    return chain.clients.publicClient.readContract({ address: venue.event as Address, abi: chainpassEventAbi, functionName: "GATE_ROLE" });
  }
});
