// The admission ledger's rules on both back ends, one suite: the PostgreSQL ledger that gate
// servers on several machines share (a real, throwaway PostgreSQL server started by this file)
// and the embedded SQLite ledger behind the same async interface. Each test gets an empty store
// and opens several "gates" on it: separate pools (PostgreSQL) or separate connections to one
// file (SQLite), as separate gate servers would.
import { readdirSync } from "node:fs";

import { expect } from "chai";
import pg from "pg";
import type { Address } from "viem";

import type { FedAdmissions } from "../../lib/offline-admissions.js";
import { openDatabase, type Database } from "../../server/db.js";
import { SqliteLedgerAdapter, type AdmissionCounts, type AsyncAdmissionLedger } from "../../server/gate/async-ledger.js";
import { AdmissionLedger } from "../../server/gate/ledger.js";
import { PgAdmissionLedger, openPgLedger } from "../../server/gate/pg-ledger.js";
import { MIGRATIONS_DIR, migrate, openMigratedPool, openPool, transaction, type Pool } from "../../server/pg.js";
import { freePort } from "../../scripts/lib/supervisor.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { startRpcLink } from "../helpers/rpc-link.js";
import { prng } from "../helpers/prng.js";
import { tempDatabase, tokenIdsOfJson } from "../helpers/server.js";

const EVENT = "0x00000000000000000000000000000000000000E1" as Address;
const OTHER_EVENT = "0x00000000000000000000000000000000000000e2" as Address;
const STAFF = "0x00000000000000000000000000000000000000a1" as Address;
const HOLDER = "0x00000000000000000000000000000000000000b1" as Address;
const OTHER_STAFF = "0x00000000000000000000000000000000000000a2" as Address;
const MAX_UINT256 = 2n ** 256n - 1n;

/** An empty ledger store; gate() opens one more gate server on it. */
interface Store {
  gate(): Promise<AsyncAdmissionLedger>;
  /** The event's counts by counting its rows, as the ledgers did before they kept them (migration 0006). */
  countRows(event: Address): Promise<AdmissionCounts>;
  close(): Promise<void>;
}

/** The counts from the ledger's rows, in either dialect (FILTER is PostgreSQL's and SQLite's). */
const COUNT_ROWS = `
  SELECT COUNT(*) AS admitted,
         COUNT(*) FILTER (WHERE a.batch_id IS NULL OR b.state IN ('new', 'dropped')) AS pending,
         COUNT(*) FILTER (WHERE b.state = 'signed') AS sending,
         COUNT(*) FILTER (WHERE b.state = 'confirmed') AS confirmed,
         COUNT(*) FILTER (WHERE b.state = 'failed') AS failed,
         COUNT(*) FILTER (WHERE a.method = 'code') AS by_code,
         COUNT(*) FILTER (WHERE a.method = 'lookup') AS by_lookup,
         COUNT(*) FILTER (WHERE a.method = 'offline') AS by_offline
  FROM gate_admissions a LEFT JOIN gate_batches b ON b.id = a.batch_id
  WHERE a.event = $1`;
const countsOfRow = (row: Record<string, unknown>): AdmissionCounts => ({
  admitted: Number(row.admitted),
  pendingOnChain: Number(row.pending),
  sending: Number(row.sending),
  confirmedOnChain: Number(row.confirmed),
  failedOnChain: Number(row.failed),
  byBackupCode: Number(row.by_code),
  byLookup: Number(row.by_lookup),
  byOfflineDevice: Number(row.by_offline),
});

interface Backend {
  name: string;
  fresh(): Promise<Store>;
}

let server: TestPostgres | undefined;

const postgres: Backend = {
  name: "PostgreSQL",
  async fresh() {
    const url = await server!.createDatabase();
    const gates: AsyncAdmissionLedger[] = [];
    let reader: pg.Client | undefined;
    return {
      async gate() {
        const ledger = await openPgLedger(url);
        gates.push(ledger);
        return ledger;
      },
      async countRows(event) {
        if (!reader) {
          reader = new pg.Client({ connectionString: url });
          await reader.connect();
        }
        return countsOfRow((await reader.query(COUNT_ROWS, [event.toLowerCase()])).rows[0] as Record<string, unknown>);
      },
      async close() {
        await Promise.all([...gates.map((g) => g.close()), reader?.end()]);
      },
    };
  },
};

const sqlite: Backend = {
  name: "SQLite",
  fresh() {
    const path = tempDatabase();
    const databases: Database[] = [];
    return Promise.resolve({
      gate() {
        const db = openDatabase(path);
        databases.push(db);
        return Promise.resolve(new SqliteLedgerAdapter(new AdmissionLedger(db)));
      },
      countRows(event) {
        const db = openDatabase(path);
        try {
          return Promise.resolve(countsOfRow(db.prepare(COUNT_ROWS.replace("$1", "?")).get(event.toLowerCase()) as Record<string, unknown>));
        } finally {
          db.close();
        }
      },
      close() {
        for (const db of databases) db.close();
        return Promise.resolve();
      },
    });
  },
};

describe("Server: admission ledger on PostgreSQL and SQLite", function () {
  before(async function () {
    server = await startPostgres();
    console.log(`      PostgreSQL started in ${Math.round(server.startupMs)} ms (initdb, pg_ctl start, CREATE DATABASE) on port ${server.port}`);
  });

  after(async function () {
    const started = performance.now();
    await server?.stop();
    console.log(`      PostgreSQL stopped in ${Math.round(performance.now() - started)} ms`);
  });

  for (const backend of [postgres, sqlite]) {
    describe(`on ${backend.name}`, function () {
      let store: Store;

      beforeEach(async function () {
        store = await backend.fresh();
      });

      afterEach(async function () {
        await store.close();
      });

      it("admits each ticket exactly once when three gates scan it fifty times each at once", async function () {
        const gates = await Promise.all([store.gate(), store.gate(), store.gate()]);
        const tickets = Array.from({ length: 20 }, (_, i) => 1000n + BigInt(i));
        const started = performance.now();
        const results = await Promise.all(
          tickets.map(async (tokenId) => {
            const scans = gates.flatMap((gate) => Array.from({ length: 50 }, () => gate.tryAdmit(EVENT, tokenId, STAFF, HOLDER, 1)));
            return (await Promise.all(scans)).filter(Boolean).length;
          }),
        );
        const ms = Math.round(performance.now() - started);
        if (backend === postgres) console.log(`      ${tickets.length * gates.length * 50} concurrent scans on 3 pools in ${ms} ms`);
        expect(results, "admissions per ticket").to.deep.equal(tickets.map(() => 1));
        for (const gate of gates) {
          expect(await gate.admittedAmong(EVENT, tickets)).to.deep.equal(tickets);
          expect(await gate.tryAdmit(EVENT, tickets[0], STAFF, HOLDER, 2), "a later scan").to.equal(false);
        }
        expect((await gates[1].counts(EVENT)).admitted).to.equal(20);
        expect(await gates[2].unwritten()).to.equal(20);
      });

      it("keeps token ids above 2^64 exact, up to the largest uint256", async function () {
        const [gate, other] = await Promise.all([store.gate(), store.gate()]);
        const big = 2n ** 64n + 1n;
        const neighbour = 2n ** 64n; // the same as `big` once rounded to a double
        const huge = 2n ** 200n + 1n;
        for (const tokenId of [big, neighbour, huge, MAX_UINT256]) expect(await gate.tryAdmit(EVENT, tokenId, STAFF, HOLDER, 1)).to.equal(true);
        expect(await other.tryAdmit(EVENT, big, STAFF, HOLDER, 2)).to.equal(false);
        expect(await other.isAdmitted(EVENT, big)).to.equal(true);
        expect(await other.isAdmitted(EVENT, big + 1n)).to.equal(false);
        expect(await other.isAdmitted(OTHER_EVENT, big)).to.equal(false);
        expect(sorted(tokenIdsOfJson(await other.admittedTokenIdsJson(EVENT)))).to.deep.equal(sorted([neighbour, big, huge, MAX_UINT256]));
        expect(await other.admittedAmong(EVENT, [7n, MAX_UINT256, huge - 1n, big])).to.deep.equal([MAX_UINT256, big]);
        const batch = (await other.createBatch(10, 3))!;
        expect(sorted(batch.tokenIds)).to.deep.equal(sorted([neighbour, big, huge, MAX_UINT256]));
        expect(sorted((await gate.batch(batch.id))!.tokenIds)).to.deep.equal(sorted(batch.tokenIds));
        expect(batch.event).to.equal(EVENT.toLowerCase());
      });

      it("names the events admitted at since a time, by any gate, each once (what a restarted server opens first)", async function () {
        const [gate, other] = await Promise.all([store.gate(), store.gate()]);
        await gate.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1_000);
        await other.tryAdmit(EVENT, 2n, STAFF, HOLDER, 5_000);
        await other.tryAdmit(OTHER_EVENT, 1n, STAFF, HOLDER, 2_000);
        expect(sorted((await gate.eventsAdmittedSince(4_000)).map((e) => BigInt(e))), "one event since 4,000, admitted at by the other gate").to.deep.equal([BigInt(EVENT)]);
        expect(sorted((await other.eventsAdmittedSince(1_000)).map((e) => BigInt(e)))).to.deep.equal(sorted([BigInt(EVENT), BigInt(OTHER_EVENT)]));
        expect(await gate.eventsAdmittedSince(5_001)).to.deep.equal([]);
      });

      it("feeds the tickets admitted since a cursor, at any gate, of one event: the cursor read before the used list goes on from it", async function () {
        const [gate, other] = await Promise.all([store.gate(), store.gate()]);
        await gate.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1);
        // What a device's copy is made of: the cursor first, then the list, which has every admission before it.
        const cursor = BigInt(await other.usedFeedCursor());
        expect(tokenIdsOfJson(await other.admittedTokenIdsJson(EVENT))).to.deep.equal([1n]);
        const none = (await other.admittedSince(EVENT, cursor, 10))!;
        expect(none.admissions, "nothing since the copy").to.deep.equal([]);
        await gate.tryAdmit(EVENT, 2n, STAFF, HOLDER, 2);
        await other.tryAdmit(OTHER_EVENT, 3n, STAFF, HOLDER, 3);
        await other.tryAdmit(EVENT, MAX_UINT256, OTHER_STAFF, HOLDER, 4);
        const since = (await gate.admittedSince(EVENT, BigInt(none.cursor), 10))!;
        expect(sorted(idsOf(since)), "both gates' admissions of this event, exact").to.deep.equal([2n, MAX_UINT256]);
        expect(since.admissions.find((a) => BigInt(a.tokenId) === MAX_UINT256)?.staff, "with who admitted it").to.equal(OTHER_STAFF);
        expect(idsOf(await other.admittedSince(EVENT, BigInt(since.cursor), 10)), "none twice").to.deep.equal([]);
        expect(await gate.admittedSince(EVENT, BigInt(none.cursor), 1), "more than the limit: a full copy instead").to.equal(undefined);
        expect(idsOf(await gate.admittedSince(OTHER_EVENT, cursor, 10))).to.deep.equal([3n]);
        // A cursor ahead of this ledger (the device's copy came from a database since replaced)
        // comes back down to it, and the next admission is fed.
        const ahead = (await gate.admittedSince(EVENT, 2n ** 62n, 10))!;
        expect(ahead.admissions).to.deep.equal([]);
        await other.tryAdmit(EVENT, 5n, STAFF, HOLDER, 5);
        expect(idsOf(await gate.admittedSince(EVENT, BigInt(ahead.cursor), 10))).to.deep.equal([5n]);
      });

      it("never puts an admission in two batches when two writers batch at once", async function () {
        const [gate, writerA, writerB] = await Promise.all([store.gate(), store.gate(), store.gate()]);
        const tickets = Array.from({ length: 60 }, (_, i) => BigInt(i + 1));
        // Interleaved times: the two events' admissions alternate in age.
        for (const tokenId of tickets) await gate.tryAdmit(tokenId % 3n === 0n ? OTHER_EVENT : EVENT, tokenId, STAFF, HOLDER, Number(tokenId));
        const drain = async (writer: AsyncAdmissionLedger) => {
          const made = [];
          for (let batch = await writer.createBatch(4, 100); batch; batch = await writer.createBatch(4, 100)) made.push(batch);
          return made;
        };
        const [a, b] = await Promise.all([drain(writerA), drain(writerB)]);
        const batched = [...a, ...b].flatMap((batch) => batch.tokenIds.map((tokenId) => `${batch.event}:${tokenId}`));
        expect(new Set(batched).size, "no admission twice").to.equal(batched.length);
        expect(batched.length, "every admission once").to.equal(tickets.length);
        const all = await gate.batches();
        expect(all.map((batch) => batch.id)).to.deep.equal([...a, ...b].map((batch) => batch.id).sort((x, y) => x - y));
        for (const batch of all) {
          expect(batch.tokenIds.length).to.be.within(1, 4);
          expect(batch.state).to.equal("new");
          const event = batch.event === EVENT.toLowerCase() ? EVENT : OTHER_EVENT;
          expect(await gate.admittedAmong(event, batch.tokenIds), "one event per batch").to.deep.equal(batch.tokenIds);
        }
        expect(await gate.unwritten()).to.equal(0);
        expect((await gate.counts(EVENT)).pendingOnChain + (await gate.counts(OTHER_EVENT)).pendingOnChain).to.equal(60);
      });

      it("puts a dropped batch's admissions back into the queue", async function () {
        const [gate, writer] = await Promise.all([store.gate(), store.gate()]);
        for (const tokenId of [3n, 1n, 2n]) await gate.tryAdmit(EVENT, tokenId, STAFF, HOLDER, Number(tokenId));
        const batch = (await writer.createBatch(10, 5))!;
        expect(batch.tokenIds, "oldest first").to.deep.equal([1n, 2n, 3n]);
        expect(await writer.unwritten()).to.equal(0);
        expect((await gate.openBatch())?.id).to.equal(batch.id);
        await writer.recordSigned(batch.id, 7, "0xf1", "0xabc1");
        await writer.drop(batch.id, 6, "nonce 7 was used by another transaction");
        const dropped = (await gate.batch(batch.id))!;
        expect(dropped).to.include({ state: "dropped", lastError: "nonce 7 was used by another transaction", nonce: 7 });
        expect(await gate.openBatch()).to.equal(undefined);
        expect(await gate.unwritten()).to.equal(3);
        expect(await gate.counts(EVENT)).to.include({ admitted: 3, pendingOnChain: 3, sending: 0 });
        const again = (await writer.createBatch(10, 7))!;
        expect(again.id).to.not.equal(batch.id);
        expect(again.tokenIds).to.deep.equal([1n, 2n, 3n]);
        expect(await gate.isAdmitted(EVENT, 2n), "still admitted at the door").to.equal(true);
      });

      it("settles batches and counts admissions by their batch's state and by how the door identified them", async function () {
        const [gate, writer] = await Promise.all([store.gate(), store.gate()]);
        const methods = ["qr", "code", "lookup", "qr", "qr", "code"] as const;
        for (const [i, method] of methods.entries()) expect(await gate.tryAdmit(EVENT, BigInt(i + 1), STAFF, HOLDER, i + 1, method)).to.equal(true);
        await gate.tryAdmit(OTHER_EVENT, 1n, STAFF, HOLDER, 99); // another event's: counted apart
        // Uploaded by a scanner that admitted while offline (migration 0004 on PostgreSQL).
        expect(await gate.tryAdmit("0x00000000000000000000000000000000000000e3", 2n, STAFF, HOLDER, 99, "offline")).to.equal(true);
        expect(await gate.tryAdmit(EVENT, 7n, STAFF, HOLDER, 7, "offline")).to.equal(true);

        const confirmed = (await writer.createBatch(2, 10))!;
        await writer.recordSigned(confirmed.id, 0, "0x01", "0xAA01");
        expect(await gate.counts(EVENT)).to.include({ sending: 2, pendingOnChain: 5 });
        await writer.recordAttempt(confirmed.id, "timeout");
        await writer.recordAttempt(confirmed.id);
        await writer.settle(confirmed.id, "confirmed", 11, 2n ** 40n);

        const failed = (await writer.createBatch(2, 12))!;
        await writer.recordSigned(failed.id, 1, "0x02", "0xaa02");
        await writer.recordAttempt(failed.id, "underpriced");
        await writer.settle(failed.id, "failed", 13, 50n); // no reason given: the last error stays

        const sending = (await writer.createBatch(1, 14))!;
        await writer.recordSigned(sending.id, 2, "0x03", "0xaa03");

        expect(await gate.counts(EVENT)).to.deep.equal({
          admitted: 7,
          pendingOnChain: 2,
          sending: 1,
          confirmedOnChain: 2,
          failedOnChain: 2,
          byBackupCode: 2,
          byLookup: 1,
          byOfflineDevice: 1,
        });
        expect(await gate.counts(OTHER_EVENT)).to.include({ admitted: 1, pendingOnChain: 1 });
        expect(await gate.batch(confirmed.id)).to.deep.include({ state: "confirmed", nonce: 0, rawTx: "0x01", txHash: "0xAA01", attempts: 2, lastError: null, tokenIds: [1n, 2n] });
        expect((await gate.batch(confirmed.id))!.confirmedMs).to.be.a("number");
        expect(await gate.batch(failed.id)).to.deep.include({ state: "failed", attempts: 1, lastError: "underpriced", confirmedMs: null });
        expect(await gate.openBatch()).to.deep.include({ id: sending.id, state: "signed", nonce: 2 });
        expect(await gate.batch(sending.id + 1000)).to.equal(undefined);
        expect((await gate.batches()).map((b) => b.state)).to.deep.equal(["confirmed", "failed", "signed"]);
        expect(await gate.isOwnTransaction("0xaa02")).to.equal(true);
        expect(await gate.isOwnTransaction("0xaa04")).to.equal(false);
        const latencies = await gate.admissionToChainMs();
        expect(latencies).to.have.length(2);
        for (const ms of latencies) expect(ms).to.be.a("number").and.at.least(0);
      });

      it("forgets an undone check-in's admission only if it was confirmed on chain by the undo's block", async function () {
        const [gate, neighbour] = await Promise.all([store.gate(), store.gate()]);
        expect(await gate.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1)).to.equal(true);
        expect(await gate.tryAdmit(EVENT, 2n, STAFF, HOLDER, 1)).to.equal(true);
        const batch = (await gate.createBatch(10, 2))!;
        await gate.settle(batch.id, "confirmed", 3, 50n);
        expect(await gate.tryAdmit(EVENT, 3n, STAFF, HOLDER, 4)).to.equal(true); // not written yet

        await gate.forget(EVENT, 1n, 49n); // an undo mined before the check-in: cannot be this admission's
        expect(await gate.isAdmitted(EVENT, 1n)).to.equal(true);
        await gate.forget(EVENT, 3n, 60n); // not on chain yet: a later admission, kept
        expect(await gate.isAdmitted(EVENT, 3n)).to.equal(true);
        expect(await gate.tryAdmit(EVENT, 3n, STAFF, HOLDER, 5)).to.equal(false);

        await gate.forget(EVENT, 1n, 50n);
        await neighbour.forget(EVENT, 1n, 50n); // each gate hears the undo; the second finds nothing to delete
        expect(await gate.isAdmitted(EVENT, 1n)).to.equal(false);
        expect(gate.admittedByThisGate(EVENT, 1n)).to.equal(false);
        expect(gate.admittedByThisGate(EVENT, 3n)).to.equal(true);
        expect(await neighbour.tryAdmit(EVENT, 1n, STAFF, HOLDER, 6), "admits again after the undo").to.equal(true);
        expect(await gate.tryAdmit(EVENT, 1n, STAFF, HOLDER, 6), "once").to.equal(false);
        expect(await gate.isAdmitted(EVENT, 2n)).to.equal(true);
      });

      it("keeps each event's counts equal to counting its rows, through random admissions at three gates, batches, their states and undos", async function () {
        // The counts are kept by triggers (migration 0006 on PostgreSQL, addAdmissionCounts on
        // SQLite), not counted at each status request: any change they miss would show here.
        const gates = await Promise.all([store.gate(), store.gate(), store.gate()]);
        const writer = gates[0];
        const events = [EVENT, OTHER_EVENT];
        const methods = ["qr", "qr", "code", "lookup", "offline"] as const;
        const random = prng(0x0c0de);
        let block = 1n;
        const compare = async (step: string) => {
          for (const event of events) expect(await writer.counts(event), `${step}: ${event}`).to.deep.equal(await store.countRows(event));
        };
        for (let round = 0; round < 40; round++) {
          // Scans at the three gates at once, some of the same tickets.
          await Promise.all(
            Array.from({ length: random.int(1, 12) }, () =>
              random.pick(gates).tryAdmit(random.pick(events), BigInt(random.int(1, 120)), STAFF, HOLDER, round, random.pick(methods)),
            ),
          );
          // The writer: a new batch, or the open one sent, then confirmed, failed or dropped.
          const open = await writer.openBatch();
          if (!open) await writer.createBatch(random.int(1, 8), round);
          else if (open.state === "new") await writer.recordSigned(open.id, round, "0x01", `0x${round.toString(16).padStart(4, "0")}`);
          else {
            const next = random.pick(["confirmed", "confirmed", "failed", "dropped"] as const);
            if (next === "dropped") await writer.drop(open.id, round, "nonce taken");
            else await writer.settle(open.id, next, round, (block += 1n));
          }
          // An organizer's undo of a confirmed check-in: its admission goes.
          if (random.chance(0.3)) {
            const confirmed = (await writer.batches()).filter((b) => b.state === "confirmed");
            if (confirmed.length) {
              const batch = random.pick(confirmed);
              await random.pick(gates).forget(batch.event, random.pick(batch.tokenIds), (block += 1n));
            }
          }
          await compare(`round ${round}`);
        }
        const total = await writer.counts(EVENT);
        expect(total.admitted, "the rounds admitted").to.be.greaterThan(50);
        expect(total.confirmedOnChain + total.failedOnChain, "and settled").to.be.greaterThan(10);
      });
    });
  }

  describe("PostgreSQL admission inserts", function () {
    /** A gate whose pool counts the statements sent and those that failed. */
    async function countedGate(url: string, pool?: Pool) {
      pool ??= await openMigratedPool(url);
      const counted = { statements: 0, failed: 0 };
      const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
      pool.query = ((...args: unknown[]) => {
        counted.statements++;
        return query(...args).catch((error: unknown) => {
          counted.failed++;
          throw error;
        });
      }) as typeof pool.query;
      return { ledger: new PgAdmissionLedger(pool), counted, close: () => pool!.end() };
    }

    it("sends admissions that arrive together as few statements, the first ones at once", async function () {
      const gate = await countedGate(await server!.createDatabase());
      try {
        const tickets = Array.from({ length: 200 }, (_, i) => 1n + BigInt(i));
        const answers = await Promise.all([...tickets, 1n, 2n].map((tokenId) => gate.ledger.tryAdmit(EVENT, tokenId, STAFF, HOLDER, 1)));
        expect(answers, "each ticket admitted once, the two repeats refused").to.deep.equal([...tickets.map(() => true), false, false]);
        // Two inserts go at once, one ticket each; the 198 arriving meanwhile wait and go together.
        expect(gate.counted.statements).to.equal(3);
        expect((await gate.ledger.counts(EVENT)).admitted).to.equal(200);
      } finally {
        await gate.close();
      }
    });

    it("admits each ticket once when two gates take the same 300 tickets in opposite orders at once, with no statement failing (no deadlock)", async function () {
      const url = await server!.createDatabase();
      const [a, b] = await Promise.all([countedGate(url), countedGate(url)]);
      try {
        const tickets = Array.from({ length: 300 }, (_, i) => 5000n + BigInt(i));
        const [fromA, fromB] = await Promise.all([
          Promise.all(tickets.map((tokenId) => a.ledger.tryAdmit(EVENT, tokenId, STAFF, HOLDER, 1))),
          Promise.all([...tickets].reverse().map((tokenId) => b.ledger.tryAdmit(EVENT, tokenId, STAFF, HOLDER, 1))),
        ]);
        const admissions = tickets.map((_, i) => Number(fromA[i]) + Number(fromB[tickets.length - 1 - i]));
        expect(admissions, "admissions per ticket").to.deep.equal(tickets.map(() => 1));
        expect(a.counted.failed + b.counted.failed, "failed statements").to.equal(0);
        expect((await a.ledger.counts(EVENT)).admitted).to.equal(300);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("fails admissions together, sending none again, when the database cannot be reached", async function () {
      // A real refused connection: a port nothing listens on.
      const url = new URL(await server!.createDatabase());
      url.port = String(await freePort());
      const gate = await countedGate(url.href, new pg.Pool({ connectionString: url.href, connectionTimeoutMillis: 2_000 }));
      try {
        const answers = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => gate.ledger.tryAdmit(EVENT, 1n + BigInt(i), STAFF, HOLDER, 1)));
        expect(answers.every((a) => a.status === "rejected" && /ECONNREFUSED/.test(String(a.reason))), "every admission refused with the connection's error").to.equal(true);
        // The first two go at once, one ticket each; the 98 arriving meanwhile go together; none again alone.
        expect(gate.counted.statements).to.equal(3);
      } finally {
        await gate.close();
      }
    });

    it("refuses a bad admission alone when it arrives with good ones: the others are admitted", async function () {
      const gate = await countedGate(await server!.createDatabase());
      try {
        const tickets = Array.from({ length: 50 }, (_, i) => 1n + BigInt(i));
        const bad = MAX_UINT256 + 1n;
        const answers = await Promise.allSettled([...tickets.slice(0, 25), bad, ...tickets.slice(25)].map((tokenId) => gate.ledger.tryAdmit(EVENT, tokenId, STAFF, HOLDER, 1)));
        const refused = answers.filter((a) => a.status === "rejected");
        expect(refused.length, "only 2^256 refused").to.equal(1);
        expect(answers[25].status).to.equal("rejected");
        expect(answers.filter((a) => a.status === "fulfilled" && a.value === true).length).to.equal(50);
        expect(sorted(tokenIdsOfJson(await gate.ledger.admittedTokenIdsJson(EVENT)))).to.deep.equal(tickets);
      } finally {
        await gate.close();
      }
    });
  });

  describe("PostgreSQL used-ticket feed", function () {
    it("does not pass over an admission whose transaction began first and commits last: the cursor stops below it", async function () {
      const url = await server!.createDatabase();
      const ledger = await openPgLedger(url);
      const slow = new pg.Client({ connectionString: url });
      await slow.connect();
      try {
        const start = BigInt(await ledger.usedFeedCursor());
        // A gate's insert whose commit is held up (its machine stalled), begun before another gate's.
        await slow.query("BEGIN");
        await slow.query("INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder, method) VALUES ($1, 1, 1, 's', 'h', 'qr')", [EVENT.toLowerCase()]);
        const { rows } = await slow.query<{ xid: string }>("SELECT pg_current_xact_id()::text AS xid");
        expect(await ledger.tryAdmit(EVENT, 2n, STAFF, HOLDER, 2)).to.equal(true); // committed at once
        const first = (await ledger.admittedSince(EVENT, start, 10))!;
        // Not even the committed one: fed, it would move a sequence's cursor past the held one.
        expect(first.admissions).to.deep.equal([]);
        expect(BigInt(first.cursor) <= BigInt(rows[0].xid), "the cursor stays at or below the running transaction").to.equal(true);
        await slow.query("COMMIT");
        const next = (await ledger.admittedSince(EVENT, BigInt(first.cursor), 10))!;
        expect(sorted(idsOf(next))).to.deep.equal([1n, 2n]);
        expect(idsOf(await ledger.admittedSince(EVENT, BigInt(next.cursor), 10))).to.deep.equal([]);
      } finally {
        await slow.end();
        await ledger.close();
      }
    });
  });

  describe("PostgreSQL check-in batches", function () {
    it("take an event's oldest waiting admissions in order from an index, on a table never analyzed (20,000 waiting, a batch reads a few hundred rows), and leave the counts' rows alone", async function () {
      const url = await server!.createDatabase();
      // One connection: the ledger's statements and the flush of their statistics run on one server process.
      const ledger = await openPgLedger(url, { max: 1 });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        // As at a door opening (or a queue grown while the chain was out of reach): rows arrive
        // faster than autovacuum analyzes them, so the planner's statistics say the table is empty.
        await admin.query("ALTER TABLE gate_admissions SET (autovacuum_enabled = false)");
        await admin.query(
          `INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder)
           SELECT $1, n, 1000, 's', 'h' FROM generate_series(1, 20000) AS n
           UNION ALL SELECT $2, n, 2000, 's', 'h' FROM generate_series(1, 100) AS n`,
          [EVENT.toLowerCase(), OTHER_EVENT.toLowerCase()],
        );
        const readRows = async () => {
          await ledger.pool.query("SELECT pg_stat_force_next_flush()");
          const { rows } = await admin.query<{ n: string; analyzed: boolean }>(
            `SELECT seq_tup_read + COALESCE(idx_tup_fetch, 0) AS n, last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL AS analyzed
             FROM pg_stat_user_tables WHERE relname = 'gate_admissions'`,
          );
          expect(rows[0].analyzed, "the table was analyzed").to.equal(false);
          return Number(rows[0].n);
        };
        // Each row version of the counts: a batch moves admissions from pending to pending, so it writes none (migration 0009).
        const countRows = async () =>
          (await admin.query<{ row: string }>("SELECT event || ':' || shard || ':' || xmin AS row FROM gate_admission_counts ORDER BY 1")).rows.map((r) => r.row);
        const countsBefore = await countRows();
        const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
        for (const expected of [range(1, 250), range(251, 500)]) {
          const before = await readRows();
          const batch = (await ledger.createBatch(250, 3000))!;
          const read = (await readRows()) - before;
          // By token id as a number within one second (as text, 10 would come before 2).
          expect(batch.tokenIds).to.deep.equal(expected);
          expect(batch.event.toLowerCase()).to.equal(EVENT.toLowerCase());
          expect(read, "rows of gate_admissions read for one batch").to.be.below(1_000);
        }
        const { rows } = await admin.query<{ batch_id: string; n: string }>(
          "SELECT batch_id::text, COUNT(*) AS n FROM gate_admissions WHERE batch_id IS NOT NULL GROUP BY batch_id ORDER BY batch_id",
        );
        expect(rows.map((r) => Number(r.n)), "each batch's admissions point at it").to.deep.equal([250, 250]);
        expect(await countRows(), "the counts' rows as they were").to.deep.equal(countsBefore);
        expect(await ledger.counts(EVENT)).to.include({ admitted: 20_000, pendingOnChain: 20_000, sending: 0 });
        // Whether a full batch waits (the writer's question) is answered without counting every waiting admission.
        const before = await readRows();
        expect(await ledger.unwritten(250)).to.equal(250);
        expect((await readRows()) - before, "rows read to tell that 250 wait").to.be.below(1_000);
        expect(await ledger.unwritten()).to.equal(20_100 - 500);
      } finally {
        await admin.end();
        await ledger.close();
      }
    });
  });

  describe("PostgreSQL over a link gone silent", function () {
    it("fails a transaction after one query limit (no ROLLBACK waiting behind the lost statement), drops its connection, and works again once the link does", async function () {
      const url = new URL(await server!.createDatabase());
      const link = await startRpcLink(`http://${url.hostname}:${url.port}`);
      url.port = new URL(link.url).port;
      const LIMIT_MS = 1_500;
      const pool = openPool(url.href, { max: 1, queryTimeoutMs: LIMIT_MS });
      try {
        expect(await transaction(pool, async (client) => (await client.query<{ one: number }>("SELECT 1 AS one")).rows[0].one)).to.equal(1);
        link.hang(); // the connection stays open; nothing gets through either way
        const started = performance.now();
        const failed = await transaction(pool, (client) => client.query("SELECT 2")).then(
          () => undefined,
          (error: Error) => error,
        );
        const tookMs = performance.now() - started;
        expect(failed?.message).to.equal("Query read timeout");
        // With a ROLLBACK sent after it, this took two limits: the ROLLBACK queued behind the lost statement.
        expect(tookMs, `failed after ${Math.round(tookMs)} ms`).to.be.below(LIMIT_MS * 1.6);
        expect(pool.totalCount, "the connection was dropped, not put back").to.equal(0);

        link.down();
        link.up(); // a new connection gets through again
        expect(await transaction(pool, async (client) => (await client.query<{ three: number }>("SELECT 3 AS three")).rows[0].three)).to.equal(3);
      } finally {
        link.up();
        await pool.end();
        await link.close();
      }
    });
  });

  describe("PostgreSQL migrations", function () {
    it("are applied once when several gate servers open one new database at the same moment", async function () {
      const url = await server!.createDatabase();
      const gates = await Promise.all(Array.from({ length: 4 }, () => openPgLedger(url)));
      try {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ name: string }>("SELECT name FROM chainpass_migrations ORDER BY id");
          const shipped = readdirSync(MIGRATIONS_DIR)
            .filter((file) => file.endsWith(".sql"))
            .sort()
            .map((file) => file.slice(0, -".sql".length));
          expect(rows.map((r) => r.name)).to.deep.equal(shipped);
          const { rows: keys } = await client.query<{ columns: string }>(
            `SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) AS columns
             FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
             WHERE i.indrelid = 'gate_admissions'::regclass AND i.indisprimary`,
          );
          expect(keys[0].columns).to.equal("event,token_id");
        } finally {
          await client.end();
        }
        const pool = openPool(url);
        try {
          expect(await migrate(pool), "nothing left to apply").to.deep.equal([]);
        } finally {
          await pool.end();
        }
        expect(await gates[3].tryAdmit(EVENT, 1n, STAFF, HOLDER, 1)).to.equal(true);
      } finally {
        await Promise.all(gates.map((g) => g.close()));
      }
    });

    it("count the admissions of a ledger made before migration 0006 once, and keep them from then on", async function () {
      const url = await server!.createDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await migrateBeforeCounts(client);
        const event = EVENT.toLowerCase();
        await client.query(`
          INSERT INTO gate_batches (id, event, token_ids, state, created_at) VALUES (1, '${event}', '{1,2}', 'confirmed', 1), (2, '${event}', '{3}', 'signed', 1), (3, '${event}', '{4}', 'failed', 1);
          INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder, batch_id, method) VALUES
            ('${event}', 1, 1, 's', 'h', 1, 'qr'), ('${event}', 2, 1, 's', 'h', 1, 'code'), ('${event}', 3, 1, 's', 'h', 2, 'lookup'),
            ('${event}', 4, 1, 's', 'h', 3, 'qr'), ('${event}', 5, 1, 's', 'h', NULL, 'offline'), ('0xother', 1, 1, 's', 'h', NULL, 'qr');
          SELECT setval('gate_batches_id_seq', 3);
        `);
      } finally {
        await client.end();
      }
      const expected = { admitted: 5, pendingOnChain: 1, sending: 1, confirmedOnChain: 2, failedOnChain: 1, byBackupCode: 1, byLookup: 1, byOfflineDevice: 1 };
      const gates = await Promise.all([openPgLedger(url), openPgLedger(url)]); // one applies 0006, the other finds it applied
      try {
        for (const gate of gates) expect(await gate.counts(EVENT)).to.deep.equal(expected);
        expect(await gates[0].counts("0xother" as Address)).to.include({ admitted: 1, pendingOnChain: 1 });
        expect(await gates[0].tryAdmit(EVENT, 6n, STAFF, HOLDER, 2, "code")).to.equal(true);
        await gates[1].settle(2, "confirmed", 3, 9n);
        expect(await gates[1].counts(EVENT)).to.deep.equal({ ...expected, admitted: 6, pendingOnChain: 2, sending: 0, confirmedOnChain: 3, byBackupCode: 2 });
      } finally {
        await Promise.all(gates.map((g) => g.close()));
      }
    });

    it("count once every admission that gates on the schema before 0006 make while it is applied", async function () {
      // Making the triggers waits for the statements writing the table and holds off new ones
      // until the migration commits, which counts the rows there: none is missed or counted twice.
      const url = await server!.createDatabase();
      const event = EVENT.toLowerCase();
      const setup = new pg.Client({ connectionString: url });
      await setup.connect();
      await migrateBeforeCounts(setup);
      await setup.query(`INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder) SELECT $1, g, 1, 's', 'h' FROM generate_series(1, 20000) g`, [event]);
      const oldGates = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          return client;
        }),
      );
      let next = 100_000;
      let running = true;
      const done: number[] = []; // when each insert was answered
      const inserting = oldGates.map(async (client) => {
        while (running) {
          const first = (next += 3) - 3;
          await client.query(`INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder) SELECT $1, g, 1, 's', 'h' FROM generate_series($2::int, $2::int + 2) g`, [event, first]);
          done.push(performance.now());
        }
      });
      try {
        await new Promise((r) => setTimeout(r, 100));
        const started = performance.now();
        const gate = await openPgLedger(url); // applies 0006 while the old gates insert
        const applied = performance.now();
        await new Promise((r) => setTimeout(r, 100));
        running = false;
        await Promise.all(inserting);
        try {
          expect(done.filter((t) => t < started).length, "inserts before the migration").to.be.greaterThan(0);
          expect(done.filter((t) => t > applied).length, "inserts after it").to.be.greaterThan(0);
          const counts = await gate.counts(EVENT);
          expect(counts).to.deep.equal(countsOfRow((await setup.query(COUNT_ROWS, [event])).rows[0] as Record<string, unknown>));
          expect(counts.admitted).to.equal(20_000 + 3 * done.length);
        } finally {
          await gate.close();
        }
      } finally {
        running = false;
        await Promise.allSettled(inserting);
        await Promise.all([setup, ...oldGates].map((c) => c.end()));
      }
    });

    it("refuse a token id that is no uint256", async function () {
      const gate = await openPgLedger(await server!.createDatabase());
      try {
        let refused: unknown;
        await gate.tryAdmit(EVENT, MAX_UINT256 + 1n, STAFF, HOLDER, 1).catch((error: unknown) => (refused = error));
        expect(refused, "2^256 refused by the table's check").to.be.instanceOf(Error);
        expect(await gate.isAdmitted(EVENT, MAX_UINT256 + 1n)).to.equal(false);
      } finally {
        await gate.close();
      }
    });
  });
});

/** Applies the migrations up to 0005: the schema of gate servers from before the kept counts. */
async function migrateBeforeCounts(client: pg.Client) {
  const { runner } = await import("node-pg-migrate");
  const quiet = () => undefined;
  const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  await runner({ dbClient: client, dir: MIGRATIONS_DIR, migrationsTable: "chainpass_migrations", direction: "up", count: 5, logger });
  expect(await client.query("SELECT to_regclass('gate_admission_counts') AS t").then((r) => r.rows[0].t)).to.equal(null);
}

/** The token ids of a used-ticket feed's answer. */
function idsOf(fed: FedAdmissions | undefined): bigint[] {
  if (!fed) throw new Error("more than the limit");
  return fed.admissions.map((a) => BigInt(a.tokenId));
}

function sorted(ids: Iterable<bigint>): bigint[] {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
