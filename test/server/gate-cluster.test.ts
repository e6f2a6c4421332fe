// Gate servers on several machines (issue 19): three gate server processes, each with its own
// SQLite file (what stays per machine) and one PostgreSQL database (DATABASE_URL: the ledger and
// the sessions), all
// three started with the same gate key. The same tickets are scanned at all three at once; one
// gate and the current check-in writer are killed (SIGKILL) while a batch is in flight. Then:
// one admission per ticket, every admitted ticket checked in on chain exactly once, no
// transaction sent twice, and the batch in flight at the kill landed with its own transaction.
// The database host failing is here too: its link cut, and PostgreSQL restarted under scans.
import { expect } from "chai";
import pg from "pg";
import { getAbiItem, type Address, type Hex, type PublicClient } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { buildApp, type App } from "../../server/app.js";
import { openPgLedger } from "../../server/gate/pg-ledger.js";
import { LeaseLost, WriterLease } from "../../server/gate/writer-lease.js";
import { eventually } from "../helpers/eventually.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { startRpcLink } from "../helpers/rpc-link.js";
import {
  fanPasses,
  scanOverHttp,
  serverEnv,
  signIn,
  signInOverHttp,
  spawnServer,
  startLocalChain,
  tempDatabase,
  testConfig,
  tokenId,
  venueFixture,
  type ServerProcess,
} from "../helpers/server.js";

const WRITER_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" as Hex; // local account 4
const EVENT = "0x00000000000000000000000000000000000000e1";
const STAFF = "0x00000000000000000000000000000000000000a1";
const HOLDER = "0x00000000000000000000000000000000000000b1";

/**
 * `count` gate server processes with one gate key on one database (the writers' lease decides
 * which writes): batches of 4 every 100 ms, a 1.5 s lease, no index.
 */
function spawnGates(count: number, rpcUrl: string, platform: Parameters<typeof serverEnv>[1], databaseUrl: string, extra: Record<string, string> = {}) {
  const env = {
    DATABASE_URL: databaseUrl,
    CHAINPASS_GATE_KEY: WRITER_KEY,
    CHAINPASS_GATE_BATCH_SIZE: "4",
    CHAINPASS_GATE_BATCH_INTERVAL_MS: "100",
    CHAINPASS_GATE_WRITER_LEASE_MS: "1500",
    CHAINPASS_INDEXER: "false",
    ...extra,
  };
  return Promise.all(Array.from({ length: count }, () => spawnServer(serverEnv(rpcUrl, platform, tempDatabase(), env))));
}

/** The event's check-in logs of one kind since `fromBlock`. */
function eventLogs(client: PublicClient, event: Address, name: "CheckedIn" | "CheckInSkipped", fromBlock: bigint) {
  return client.getLogs({ address: event, event: getAbiItem({ abi: chainpassEventAbi, name }) as never, fromBlock });
}

/** The token ids of the event's CheckedIn logs since `fromBlock`, in ascending order (repeats kept). */
async function checkedInTokenIds(client: PublicClient, event: Address, fromBlock: bigint) {
  const logs = await eventLogs(client, event, "CheckedIn", fromBlock);
  return logs.map((l) => (l as unknown as { args: { tokenId: bigint } }).args.tokenId).sort((x, y) => (x < y ? -1 : 1));
}

/** Ledger admissions not yet in a confirmed batch (unbatched, or their batch is not confirmed). */
async function unconfirmedAdmissions(db: pg.Client) {
  const { rows } = await db.query<{ n: string }>("SELECT COUNT(*) AS n FROM gate_admissions a LEFT JOIN gate_batches b ON b.id = a.batch_id WHERE b.state IS DISTINCT FROM 'confirmed'");
  return Number(rows[0].n);
}

/** The venue on `chain`, two gate processes on the database at `url` (added to `running`), staff signed in at the first. */
async function twoGates(chain: Awaited<ReturnType<typeof startLocalChain>>, url: string, running: ServerProcess[], env: Record<string, string> = {}) {
  const venue = await venueFixture(chain.clients);
  const fromBlock = await chain.clients.publicClient.getBlockNumber();
  const gates = await spawnGates(2, chain.rpcUrl, venue.platform, url, env);
  running.push(...gates);
  const cookie = await signInOverHttp(gates[0].url, venue.staff);
  return { venue, fromBlock, gates, cookie };
}

/** Each of `tickets` checked in on chain exactly once since `fromBlock`, and every batch confirmed with a transaction of its own. */
async function expectEachOnChainOnce(client: PublicClient, event: Address, fromBlock: bigint, tickets: bigint[], batches: { state: string; tx_hash: string }[]) {
  expect(await checkedInTokenIds(client, event, fromBlock), "each admission on chain exactly once").to.deep.equal(tickets);
  expect(await eventLogs(client, event, "CheckInSkipped", fromBlock), "no admission was written twice").to.have.length(0);
  expect(batches.every((b) => b.state === "confirmed"), JSON.stringify(batches)).to.equal(true);
  expect(new Set(batches.map((b) => b.tx_hash)).size, "one transaction per batch").to.equal(batches.length);
}

describe("Server: gate servers on several machines (PostgreSQL)", function () {
  this.timeout(120_000);
  let postgres: TestPostgres;

  before(async function () {
    postgres = await startPostgres();
  });
  after(async function () {
    await postgres?.stop();
  });

  it("fences the writer lease: one holder; after it expires another takes over and the old holder's batch changes are refused", async function () {
    const url = await postgres.createDatabase();
    const [a, b] = [await openPgLedger(url), await openPgLedger(url)];
    try {
      const [leaseA, leaseB] = [new WriterLease(a.pool, "31337:key", 500), new WriterLease(b.pool, "31337:key", 500)];
      const fenceA = await leaseA.acquire();
      expect(fenceA?.token).to.equal(1n);
      expect(await leaseB.acquire(), "held by A").to.equal(undefined);
      expect((await leaseA.acquire())?.token, "renewed, same token").to.equal(1n);
      a.fence = fenceA;
      expect(await a.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1)).to.equal(true);
      const batch = (await a.createBatch(10, 2))!;
      expect(batch.tokenIds).to.deep.equal([1n]);

      await new Promise((resolve) => setTimeout(resolve, 600)); // A paused past its lease
      const fenceB = await leaseB.acquire();
      expect(fenceB?.token, "a new holder, a new token").to.equal(2n);
      b.fence = fenceB;
      let refused: unknown;
      await a.recordSigned(batch.id, 0, "0x01", "0x" as Hex).catch((error: unknown) => (refused = error));
      expect(refused).to.be.instanceOf(LeaseLost);
      expect((await b.batch(batch.id))!.state, "A's write did not happen").to.equal("new");
      await b.recordSigned(batch.id, 0, "0x02", "0x02");
      expect((await b.batch(batch.id))!.rawTx).to.equal("0x02");
      expect(await leaseA.acquire(), "B holds it now").to.equal(undefined);
      await leaseB.release();
      expect((await leaseA.acquire())?.token, "released: A takes it at once, token 3").to.equal(3n);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a writer frozen inside a batch change (a paused machine, a cut cable) does not hold up the takeover: the database ends its transaction, another server takes the lease, the thawed writer's changes are refused", async function () {
    const url = await postgres.createDatabase();
    const ttlMs = 800;
    // As the chain worker opens them: a transaction left idle longer than the lease is ended by the database.
    const [a, b] = [await openPgLedger(url, { idleInTransactionMs: ttlMs }), await openPgLedger(url, { idleInTransactionMs: ttlMs })];
    try {
      const [leaseA, leaseB] = [new WriterLease(a.pool, "31337:key", ttlMs), new WriterLease(b.pool, "31337:key", ttlMs)];
      a.fence = await leaseA.acquire();
      expect(await a.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1)).to.equal(true);
      // A's writer freezes in the middle of a batch change: its transaction has locked the lease
      // row, as every fenced change does first, and sends nothing more.
      const frozen = await a.pool.connect();
      const frozenErrors: Error[] = [];
      frozen.on("error", (error) => frozenErrors.push(error));
      await frozen.query("BEGIN");
      await frozen.query("SELECT token FROM gate_writer_lease WHERE scope = $1 FOR SHARE", ["31337:key"]);

      // B tries the lease as its writer does, every tick: it expires, and B's update of the row
      // must not wait on the frozen transaction's lock for longer than the lease's time.
      const frozeAt = Date.now();
      let fenceB: Awaited<ReturnType<WriterLease["acquire"]>>;
      for (;;) {
        fenceB = await leaseB.acquire();
        if (fenceB || Date.now() - frozeAt > 6_000) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const tookOverAfterMs = Date.now() - frozeAt;
      expect(fenceB?.token, "B holds the lease, token 2").to.equal(2n);
      expect(tookOverAfterMs, "taken over within three lease times of the freeze").to.be.below(3 * ttlMs);
      b.fence = fenceB;
      const batch = await b.createBatch(10, 2);
      expect(batch?.tokenIds, "B batches the admission").to.deep.equal([1n]);

      // A thaws: its transaction is gone, and each of its batch changes is refused.
      let thawed: unknown;
      await frozen.query("SELECT 1").catch((error: unknown) => (thawed = error));
      frozen.release(true);
      expect(thawed, "the frozen transaction was ended by the database").to.be.instanceOf(Error);
      expect(frozenErrors.map((e) => e.message).join(" "), "and said why").to.match(/idle-in-transaction/);
      let refused: unknown;
      await a.recordSigned(batch!.id, 0, "0x01", "0x01").catch((error: unknown) => (refused = error));
      expect(refused).to.be.instanceOf(LeaseLost);
      expect((await b.batch(batch!.id))!.state, "A's write did not happen").to.equal("new");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("three gates scan the same tickets at once; a gate and the writer killed mid-batch: one admission per ticket, each on chain once", async function () {
    const chain = await startLocalChain();
    const running: ServerProcess[] = [];
    const url = await postgres.createDatabase();
    const db = new pg.Client({ connectionString: url });
    try {
      const venue = await venueFixture(chain.clients);
      const client = chain.clients.publicClient;
      // No blocks until the kill: the first batch signed stays signed and unconfirmed however long
      // the first round takes (with blocks every second, a slow machine had mined every batch
      // before the test looked for one in flight).
      await client.request({ method: "evm_setAutomine" as never, params: [false] as never });
      const fromBlock = await client.getBlockNumber();
      const gates = await spawnGates(3, chain.rpcUrl, venue.platform, url);
      running.push(...gates);
      // Signed in once, at the first gate: the session is valid at all three (sessions in PostgreSQL).
      const cookie = await signInOverHttp(gates[0].url, venue.staff);
      const cookies = gates.map(() => cookie);
      await db.connect();
      // Each gate has read the event before the doors open. On a loaded machine a gate's chain
      // thread can take seconds to start, and until it has the event a scan answers 503
      // chain-unreachable (which a scanner sends again); this test is about the scans after that.
      for (const [i, gate] of gates.entries()) {
        let answer = "";
        await eventually(async () => {
          const response = await fetch(`${gate.url}/gate/${venue.event}/status`, { headers: { cookie } });
          answer = `${response.status} ${await response.text()}`;
          return response.status === 200;
        }, `gate ${i} ready for the event`, 60_000).catch((error: Error) => {
          throw new Error(`${error.message}; its last answer: ${answer}`);
        });
      }

      const fans = await Promise.all(venue.fans.map((fan, i) => fanPasses(fan, venue.event, 40 + i)));
      const firstRound = Array.from({ length: 10 }, (_, i) => tokenId(1, 1 + i)); // fan 0's tickets
      const secondRound = Array.from({ length: 10 }, (_, i) => tokenId(1, 11 + i)); // fan 1's
      const passOf = (id: bigint) => fans[firstRound.includes(id) ? 0 : 1].pass(id);
      const round = async (tickets: bigint[], at: ServerProcess[]) =>
        (
          await Promise.all(
            tickets.map(async (id) => {
              const pass = await passOf(id);
              const results = await Promise.all(
                at.flatMap((gate) => [0, 1].map(() => scanOverHttp(gate.url, cookies[gates.indexOf(gate)], venue.event, pass).catch(() => ({ status: 0, body: {} as Record<string, unknown> })))),
              );
              return { id, results };
            }),
          )
        ).map(({ id, results }) => ({ id, admitted: results.filter((r) => r.status === 200).length, statuses: results.map((r) => r.status), bodies: results.filter((r) => r.status !== 200).map((r) => r.body) }));

      const first = await round(firstRound, gates);
      for (const ticket of first) {
        expect(ticket.admitted, `admissions of ${ticket.id}`).to.equal(1);
        for (const status of ticket.statuses) expect([200, 409], JSON.stringify(ticket.bodies)).to.include(status);
      }

      // A batch signed, not yet mined: kill the writer (the lease's holder) and one more gate,
      // while the second round's scans are on their way to all three.
      const signedBatch = async () => (await db.query<{ id: string; tx_hash: string }>("SELECT id, tx_hash FROM gate_batches WHERE state = 'signed'")).rows[0];
      const deadline = Date.now() + 20_000;
      while (!(await signedBatch()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const inFlight = await signedBatch();
      expect(inFlight, "a batch was signed").to.not.equal(undefined);
      const { rows: lease } = await db.query<{ holder: string; token: string }>("SELECT holder, token::text AS token FROM gate_writer_lease");
      const writer = gates.find((g) => lease[0].holder.startsWith(`${g.process.pid}-`));
      expect(writer, "the lease is held by one of the gates").to.not.equal(undefined);
      const victims = [writer!, gates.find((g) => g !== writer)!];
      const second = round(secondRound, gates);
      await new Promise((r) => setTimeout(r, 30));
      await Promise.all(victims.map((g) => g.kill()));
      await client.request({ method: "evm_setIntervalMining" as never, params: [1000] as never });
      const survivor = gates.find((g) => !victims.includes(g))!;
      for (const ticket of await second) expect(ticket.admitted, `admissions of ${ticket.id}`).to.be.at.most(1);

      // Every ticket once more at the survivor: what no killed gate admitted is admitted now, once.
      const third = await round([...firstRound, ...secondRound], [survivor]);
      for (const ticket of third) expect(ticket.admitted, `admissions of ${ticket.id} at the end`).to.be.at.most(1);
      const { rows: admissions } = await db.query<{ token_id: string }>("SELECT token_id::text AS token_id FROM gate_admissions");
      expect(admissions.map((r) => BigInt(r.token_id)).sort((x, y) => (x < y ? -1 : 1)), "one admission per ticket").to.deep.equal([...firstRound, ...secondRound]);

      // The survivor takes the lease over when it expires, sends the signed batch again, then the rest.
      const finished = Date.now() + 40_000;
      let unconfirmed = Infinity;
      while (Date.now() < finished) {
        unconfirmed = await unconfirmedAdmissions(db);
        if (unconfirmed === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(unconfirmed, "every admission confirmed on chain").to.equal(0);
      const { rows: after } = await db.query<{ holder: string; token: string }>("SELECT holder, token::text AS token FROM gate_writer_lease");
      expect(after[0].holder.startsWith(`${survivor.process.pid}-`), "the survivor took the lease over").to.equal(true);
      expect(BigInt(after[0].token)).to.be.greaterThan(BigInt(lease[0].token));

      // On chain: each admitted ticket checked in exactly once; no transaction twice.
      expect(await checkedInTokenIds(client, venue.event, fromBlock), "each admission on chain exactly once").to.deep.equal([...firstRound, ...secondRound]);
      expect(await eventLogs(client, venue.event, "CheckInSkipped", fromBlock), "no admission was written twice").to.have.length(0);
      const { rows: batches } = await db.query<{ id: string; state: string; tx_hash: string }>("SELECT id::text AS id, state, tx_hash FROM gate_batches ORDER BY id");
      const confirmed = batches.filter((b) => b.state === "confirmed");
      expect(new Set(confirmed.map((b) => b.tx_hash)).size, "one transaction per batch").to.equal(confirmed.length);
      const crashed = batches.find((b) => b.id === String(inFlight!.id))!;
      expect(crashed, "the batch in flight at the kill landed with its own transaction").to.deep.include({ state: "confirmed", tx_hash: inFlight!.tx_hash });
      await client.request({ method: "evm_setAutomine" as never, params: [true] as never });
    } finally {
      await db.end().catch(() => undefined);
      await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
      await chain.rpc.close();
    }
  });

  it("a writer paused past its lease (SIGSTOP): the other gate takes over and writes; resumed (SIGCONT), it scans on and writes nothing: each admission on chain once", async function () {
    const chain = await startLocalChain();
    const running: ServerProcess[] = [];
    const url = await postgres.createDatabase();
    const db = new pg.Client({ connectionString: url });
    let paused: ServerProcess | undefined;
    try {
      const client = chain.clients.publicClient;
      const { venue, fromBlock, gates, cookie } = await twoGates(chain, url, running);
      await db.connect();
      // Fan 0 holds the first ten Standing tickets, fan 1 the next ten.
      const passes = await Promise.all([0, 1].map((i) => fanPasses(venue.fans[i], venue.event, 60 + i)));
      const admit = async (gate: ServerProcess, id: bigint) => {
        const { status, body } = await scanOverHttp(gate.url, cookie, venue.event, await passes[id <= tokenId(1, 10) ? 0 : 1].pass(id));
        expect([status, body.verdict], `ticket ${id}: ${JSON.stringify(body)}`).to.deep.equal([200, "admit"]);
      };
      const allOnChain = (what: string) =>
        eventually(async () => (await unconfirmedAdmissions(db)) === 0, what, 30_000);
      const leaseHolder = async () => (await db.query<{ holder: string; token: string }>("SELECT holder, token::text AS token FROM gate_writer_lease")).rows[0];
      const tickets = Array.from({ length: 15 }, (_, i) => tokenId(1, 1 + i));

      for (const [i, id] of tickets.slice(0, 5).entries()) await admit(gates[i % 2], id);
      await allOnChain("the first admissions on chain");
      const before = await leaseHolder();
      paused = gates.find((g) => before.holder.startsWith(`${g.process.pid}-`));
      expect(paused, "the lease is held by one of the gates").to.not.equal(undefined);
      const other = gates.find((g) => g !== paused)!;

      // The writer's machine stops (a paused VM, a debugger, a long stall): no exit, no socket closed.
      process.kill(paused!.process.pid!, "SIGSTOP");
      for (const id of tickets.slice(5, 10)) await admit(other, id);
      await allOnChain("the admissions at the other gate on chain while the writer is paused");
      const during = await leaseHolder();
      expect(during.holder.startsWith(`${other.process.pid}-`), "the other gate took the lease over").to.equal(true);
      expect(BigInt(during.token)).to.be.greaterThan(BigInt(before.token));

      // Resumed: it finds its lease gone; it scans on, and the holder writes its admissions.
      process.kill(paused!.process.pid!, "SIGCONT");
      paused = undefined;
      await new Promise((r) => setTimeout(r, 1000)); // several writer ticks of the resumed gate
      const resumed = gates.find((g) => g !== other)!;
      for (const id of tickets.slice(10)) await admit(resumed, id);
      await allOnChain("the resumed gate's admissions on chain");
      expect(resumed.supervised.running, "the resumed gate is still running").to.equal(true);
      expect((await leaseHolder()).holder, "the lease stays with the gate that took it").to.equal(during.holder);

      const { rows: batches } = await db.query<{ state: string; tx_hash: string }>("SELECT state, tx_hash FROM gate_batches");
      await expectEachOnChainOnce(client, venue.event, fromBlock, tickets, batches);
    } finally {
      if (paused) process.kill(paused.process.pid!, "SIGCONT");
      await db.end().catch(() => undefined);
      await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
      await chain.rpc.close();
    }
  });

  it("a writer stopped for a rolling restart (SIGTERM) answers the scans it has, ends its tick and hands its lease back: with a 30 s lease the other gate writes within seconds; each admission on chain once", async function () {
    const chain = await startLocalChain();
    const running: ServerProcess[] = [];
    const url = await postgres.createDatabase();
    const db = new pg.Client({ connectionString: url });
    try {
      const client = chain.clients.publicClient;
      const { venue, fromBlock, gates, cookie } = await twoGates(chain, url, running, { CHAINPASS_GATE_WRITER_LEASE_MS: "30000" });
      await db.connect();
      // Fan 0 holds the first ten Standing tickets, fan 1 the next ten.
      const passes = await Promise.all([0, 1].map((i) => fanPasses(venue.fans[i], venue.event, 80 + i)));
      const scan = async (gate: ServerProcess, id: bigint) =>
        scanOverHttp(gate.url, cookie, venue.event, await passes[id <= tokenId(1, 10) ? 0 : 1].pass(id)).catch((error: Error) => ({ status: 0, body: { error: error.message } as Record<string, unknown> }));
      const leaseHolder = async () => (await db.query<{ holder: string; token: string }>("SELECT holder, token::text AS token FROM gate_writer_lease")).rows[0];
      const tickets = Array.from({ length: 14 }, (_, i) => tokenId(1, 1 + i));

      for (const [i, id] of tickets.slice(0, 4).entries()) expect((await scan(gates[i % 2], id)).body).to.include({ verdict: "admit" });
      await eventually(async () => (await unconfirmedAdmissions(db)) === 0, "the first admissions on chain", 30_000);
      const before = await leaseHolder();
      const writer = gates.find((g) => before.holder.startsWith(`${g.process.pid}-`))!;
      expect(writer, "the lease is held by one of the gates").to.not.equal(undefined);
      const other = gates.find((g) => g !== writer)!;

      // Scans on their way to the writer's machine as it is told to stop.
      const inFlight = Promise.all(tickets.slice(4, 8).map(async (id) => ({ id, ...(await scan(writer, id)) })));
      await new Promise((r) => setTimeout(r, 20));
      await writer.supervised.stop(10_000);
      const stoppedAt = Date.now();
      expect([writer.process.exitCode, writer.process.signalCode], "it stopped by itself, not killed after the grace time").to.deep.equal([0, null]);
      const answers = await inFlight;
      const shown = JSON.stringify(answers.map((a) => ({ ...a, id: String(a.id) })));
      for (const a of answers) expect([200, 503, 0], shown).to.include(a.status);

      // The other gate admits the rest (and those the stopped one did not), and writes them on
      // chain long before the 30 s lease would have run out.
      for (const id of tickets.slice(4)) {
        const { status, body } = await scan(other, id);
        const admittedBefore = answers.some((a) => a.id === id && a.status === 200);
        expect([status, body.verdict === "admit" ? "admit" : body.reason], `ticket ${id}: ${JSON.stringify(body)}`).to.deep.equal(admittedBefore ? [409, "already-used"] : [200, "admit"]);
      }
      // (Not handed back, the lease would run out 30 s after its last renewal, just before the stop.)
      await eventually(async () => (await unconfirmedAdmissions(db)) === 0, "every admission on chain within 25 s of the stop (the lease is 30 s)", 25_000);
      const after = await leaseHolder();
      expect(after.holder.startsWith(`${other.process.pid}-`), "the other gate holds the lease").to.equal(true);
      expect(BigInt(after.token)).to.be.greaterThan(BigInt(before.token));
      expect(Date.now() - stoppedAt).to.be.below(30_000);
      const { rows: batches } = await db.query<{ state: string; tx_hash: string }>("SELECT state, tx_hash FROM gate_batches");
      await expectEachOnChainOnce(client, venue.event, fromBlock, tickets, batches);
    } finally {
      await db.end().catch(() => undefined);
      await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
      await chain.rpc.close();
    }
  });

  it("PostgreSQL restarted mid-door (every connection ended): the gates answer 503 database-unavailable meanwhile, never a 500; then they admit again and the writer writes on: each admission on chain once", async function () {
    const chain = await startLocalChain();
    const running: ServerProcess[] = [];
    const url = await postgres.createDatabase();
    try {
      const client = chain.clients.publicClient;
      const { venue, fromBlock, gates, cookie } = await twoGates(chain, url, running);
      // Each of the three fans holds ten Standing tickets, in order.
      const passes = await Promise.all(venue.fans.map((fan, i) => fanPasses(fan, venue.event, 70 + i)));
      const tickets = Array.from({ length: 30 }, (_, i) => tokenId(1, 1 + i));
      const scan = async (gate: ServerProcess, id: bigint) => {
        const answer = await scanOverHttp(gate.url, cookie, venue.event, await passes[Math.floor(tickets.indexOf(id) / 10)].pass(id)).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
        return { id, ...answer } as { id: bigint; status: number; body: Record<string, unknown> };
      };
      /** Reads the database on a connection of its own, made after any restart. */
      const query = async <T extends pg.QueryResultRow>(sql: string) => {
        const reader = new pg.Client({ connectionString: url });
        await reader.connect();
        try {
          return (await reader.query<T>(sql)).rows;
        } finally {
          await reader.end();
        }
      };
      const allOnChain = (what: string) =>
        eventually(async () => Number((await query<{ n: string }>("SELECT COUNT(*) AS n FROM gate_admissions a LEFT JOIN gate_batches b ON b.id = a.batch_id WHERE b.state IS DISTINCT FROM 'confirmed'"))[0].n) === 0, what, 30_000);

      for (const [i, id] of tickets.slice(0, 4).entries()) expect((await scan(gates[i % 2], id)).body).to.include({ verdict: "admit" });
      await allOnChain("the first admissions on chain");

      // While the database restarts, a new ticket is scanned at both gates at once every 50 ms.
      const answers: Awaited<ReturnType<typeof scan>>[] = [];
      let restarting = true;
      const door = (async () => {
        for (const id of tickets.slice(4)) {
          if (!restarting) break;
          answers.push(...(await Promise.all(gates.map((gate) => scan(gate, id)))));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const restartStarted = performance.now();
      await postgres.restart();
      const restartMs = performance.now() - restartStarted;
      restarting = false;
      await door;
      const summary = JSON.stringify({ restartMs: Math.round(restartMs), answers: answers.map((a) => `${a.id % 1000n} ${a.status} ${a.body.verdict ?? a.body.error}`) });

      // Each answer is an admission, a refusal, or a named 503; the gates go on.
      expect(answers.some((a) => a.status === 503), `scans came while the database was down: ${summary}`).to.equal(true);
      for (const a of answers) {
        if (a.status === 503) expect(a.body, summary).to.include({ error: "database-unavailable" });
        else expect([200, 409], summary).to.include(a.status);
      }
      for (const [i, gate] of gates.entries()) expect(gate.supervised.running, `gate ${i} is still running`).to.equal(true);

      // Back: every ticket is admitted once, at either gate, and written on chain once.
      const admitted = new Set([...tickets.slice(0, 4), ...answers.filter((a) => a.status === 200).map((a) => a.id)]);
      for (const [i, id] of tickets.entries()) {
        const { status, body } = await scan(gates[i % 2], id);
        const shown = [status, body.verdict === "admit" ? "admit" : (body.reason ?? body.error)];
        expect(shown, `ticket ${id}: ${JSON.stringify(body)}; ${summary}`).to.deep.equal(admitted.has(id) ? [409, "already-used"] : [200, "admit"]);
      }
      await allOnChain("every admission on chain after the restart");
      await expectEachOnChainOnce(client, venue.event, fromBlock, tickets, await query<{ state: string; tx_hash: string }>("SELECT state, tx_hash FROM gate_batches"));
    } finally {
      await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
      await chain.rpc.close();
    }
  });

  it("a gate whose database link is down answers a named 503 (database-unavailable), never a 500, and admits again once the link is back", async function () {
    const chain = await startLocalChain();
    const direct = await postgres.createDatabase();
    await (await openPgLedger(direct)).close(); // migrated before the app opens it through the link
    const link = await startRpcLink(`http://127.0.0.1:${new URL(direct).port}`);
    const proxied = new URL(direct);
    proxied.port = new URL(link.url).port;
    let app: App | undefined;
    try {
      const venue = await venueFixture(chain.clients);
      app = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { DATABASE_URL: proxied.href, CHAINPASS_INDEXER: "false" }));
      app.start();
      const cookie = await signIn(app, venue.staff);
      const passes = await fanPasses(venue.fans[0], venue.event, 1);
      const scan = async (id: bigint) => {
        const response = await app!.server.inject({ method: "POST", url: `/gate/${venue.event}/scan`, headers: { cookie }, payload: { pass: await passes.pass(id) } });
        return { status: response.statusCode, body: response.json() as { verdict?: string; error?: string } };
      };
      expect((await scan(tokenId(1, 1))).body).to.include({ verdict: "admit" });
      link.down();
      for (const id of [tokenId(1, 2), tokenId(1, 3)]) {
        const { status, body } = await scan(id);
        expect([status, body.error], JSON.stringify(body)).to.deep.equal([503, "database-unavailable"]);
      }
      link.up();
      expect((await scan(tokenId(1, 2))).body, "the link is back").to.include({ verdict: "admit" });
    } finally {
      await app?.close();
      await link.close();
      await chain.rpc.close();
    }
  });
});
