// The gate as real processes: two gates of one venue sharing the admission ledger, and the
// on-chain writer surviving a crash in the middle of a batch.
import { DatabaseSync } from "node:sqlite";

import { expect } from "chai";
import { getAbiItem, type Hex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import {
  fanPasses,
  scanOverHttp,
  serverEnv,
  signInOverHttp,
  spawnServer,
  startLocalChain,
  tempDatabase,
  tokenId,
  venueFixture,
  type ServerProcess,
} from "../helpers/server.js";

const WRITER_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" as Hex; // local account 4

describe("Server: gates as processes", function () {
  this.timeout(180_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  const running: ServerProcess[] = [];

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
  });
  afterEach(async function () {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  after(async function () {
    await chain.rpc.close();
  });

  async function start(databasePath: string, extra: Record<string, string> = {}) {
    const server = await spawnServer(serverEnv(chain.rpcUrl, venue.platform, databasePath, extra));
    running.push(server);
    return server;
  }

  it("admits each ticket once when two gates scan it at the same instant", async function () {
    const db = tempDatabase();
    const [gateA, gateB] = [await start(db), await start(db)];
    const [cookieA, cookieB] = [await signInOverHttp(gateA.url, venue.staff), await signInOverHttp(gateB.url, venue.staff)];
    const fan = await fanPasses(venue.fans[1], venue.event, 2);
    const tickets = Array.from({ length: 8 }, (_, i) => tokenId(1, 11 + i));

    for (const id of tickets) {
      const pass = await fan.pass(id);
      // Both gates, several times each, all at once.
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => scanOverHttp(i % 2 ? gateB.url : gateA.url, i % 2 ? cookieB : cookieA, venue.event, pass)),
      );
      const admitted = results.filter((r) => r.status === 200);
      expect(admitted, `admissions of ${id}`).to.have.length(1);
      for (const refused of results.filter((r) => r.status !== 200)) {
        expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
        expect(refused.body.reason).to.equal("already-used");
      }
    }
    const ledger = new DatabaseSync(db, { readOnly: true });
    expect((ledger.prepare("SELECT COUNT(*) AS n FROM gate_admissions").get() as { n: number }).n).to.equal(tickets.length);
    ledger.close();
  });

  it("writes admissions on chain in batches; a kill mid-batch loses nothing and sends nothing twice", async function () {
    // Blocks every 1.5 s, so a batch sits signed and unconfirmed long enough to kill the gate.
    await chain.clients.publicClient.request({ method: "evm_setAutomine" as never, params: [false] as never });
    await chain.clients.publicClient.request({ method: "evm_setIntervalMining" as never, params: [1500] as never });
    const fromBlock = await chain.clients.publicClient.getBlockNumber();
    const db = tempDatabase();
    const writerEnv = { CHAINPASS_GATE_KEY: WRITER_KEY, CHAINPASS_GATE_BATCH_SIZE: "4", CHAINPASS_GATE_BATCH_INTERVAL_MS: "100" };

    // The ten admissions first, at a gate without the writer key: the writer then finds all ten
    // waiting and cuts batches of 4, 4 and 2, however fast the scans were (a writer running during
    // the scans would cut a batch from whatever had arrived by its next tick).
    let gate = await start(db);
    const cookie = await signInOverHttp(gate.url, venue.staff);
    const fan = await fanPasses(venue.fans[2], venue.event, 3);
    const tickets = Array.from({ length: 10 }, (_, i) => tokenId(1, 21 + i)); // fan 2's tickets
    for (const id of tickets) expect((await scanOverHttp(gate.url, cookie, venue.event, await fan.pass(id))).status).to.equal(200);
    await gate.stop();
    running.splice(running.indexOf(gate), 1);
    gate = await start(db, writerEnv);

    // Kill the gate as soon as a batch is signed (and maybe broadcast) but not confirmed.
    const ledger = new DatabaseSync(db, { readOnly: true });
    const signedBatch = () => ledger.prepare("SELECT id, tx_hash FROM gate_batches WHERE state = 'signed'").get() as { id: number; tx_hash: string } | undefined;
    const deadline = Date.now() + 20_000;
    while (!signedBatch() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const inFlight = signedBatch();
    expect(inFlight, "a batch was signed").to.not.equal(undefined);
    await gate.kill();
    running.splice(running.indexOf(gate), 1);
    const confirmedAtKill = (ledger.prepare("SELECT COUNT(*) AS n FROM gate_batches WHERE state = 'confirmed'").get() as { n: number }).n;
    expect(confirmedAtKill, "the kill happened before every batch was confirmed").to.be.lessThan(3);

    // Restart on the same ledger: it resumes and finishes.
    gate = await start(db, writerEnv);
    const statusCookie = await signInOverHttp(gate.url, venue.staff);
    const finished = Date.now() + 60_000;
    let status: { ledger: { confirmedOnChain: number } } | undefined;
    while (Date.now() < finished) {
      status = await (await fetch(`${gate.url}/gate/${venue.event}/status`, { headers: { cookie: statusCookie } })).json();
      if (status!.ledger.confirmedOnChain === tickets.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status!.ledger.confirmedOnChain).to.equal(tickets.length);

    // On chain: every ticket checked in by exactly one transaction, none sent twice.
    const client = chain.clients.publicClient;
    const logs = (event: string) =>
      client.getLogs({ address: venue.event, event: getAbiItem({ abi: chainpassEventAbi, name: event as "CheckedIn" }) as never, fromBlock });
    const checkedIn = await logs("CheckedIn");
    expect(checkedIn.map((l) => (l as unknown as { args: { tokenId: bigint } }).args.tokenId).sort()).to.deep.equal([...tickets].sort());
    expect(await logs("CheckInSkipped"), "no admission was written twice").to.have.length(0);
    const batches = ledger.prepare("SELECT token_ids, state, tx_hash FROM gate_batches ORDER BY id").all() as { token_ids: string; state: string; tx_hash: string }[];
    expect(batches.map((b) => b.state)).to.deep.equal(["confirmed", "confirmed", "confirmed"]);
    expect(batches.map((b) => b.tx_hash)).to.include(inFlight!.tx_hash); // the crashed batch's own transaction landed
    expect(batches.flatMap((b) => JSON.parse(b.token_ids)).length).to.equal(tickets.length);
    ledger.close();
    await client.request({ method: "evm_setAutomine" as never, params: [true] as never });
  });
});
