// A gate that opens an event from an index (CHAINPASS_GATE_INDEX_URL: GATE_EVENT and GATE_SNAPSHOT
// at one block, then the chain's logs after it) holds exactly the snapshot a gate replaying every
// log since the event's creation holds: owners, on-chain check-ins, tiers with seat maps and entry
// windows, GATE holders, the deny list, times and check-in lead. An index that is behind is
// completed from the logs; an index that cannot be read leaves the gate replaying the logs.
import { expect } from "chai";

import { buildApp, type App } from "../../server/app.js";
import type { EventSnapshot } from "../../server/gate/snapshot.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { freePort } from "../../scripts/lib/supervisor.js";
import { signIn, startLocalChain, testConfig, tokenId, venueFixture } from "../helpers/server.js";

type Venue = Awaited<ReturnType<typeof venueFixture>>;

/** Everything a gate decides on, as plain data. */
function facts(snapshot: EventSnapshot) {
  const sorted = <T>(items: Iterable<T>) => [...items].sort((a, b) => (String(a) < String(b) ? -1 : 1));
  return {
    owners: sorted([...snapshot.owners].map(([token, owner]) => `${token} ${owner}`)),
    checkedIn: sorted([...snapshot.checkedInOnChain].map(String)),
    tiers: Object.fromEntries([...snapshot.tiers].sort((a, b) => a[0] - b[0])),
    denied: sorted(snapshot.denied),
    gates: sorted(snapshot.gates),
    cancelled: snapshot.cancelled,
    times: [snapshot.start, snapshot.end, snapshot.checkInLeadHours],
  };
}

describe("Server: a gate bootstrapped from the index", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Venue;
  let index: IndexerUnderTest;
  const apps: App[] = [];
  const buyer = localAccount(8);

  /**
   * A gate server opening the venue's event, with or without an index to start from. Its opening
   * may wait 4 × the RPC timeout: starting its chain thread and opening took over 12 s beside the
   * browser tests.
   */
  async function gate(indexUrl?: string) {
    const app = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_SNAPSHOT_INTERVAL_MS: "3600000", CHAINPASS_GATE_RPC_TIMEOUT_MS: "10000", ...(indexUrl ? { CHAINPASS_GATE_INDEX_URL: indexUrl } : {}) }));
    apps.push(app);
    app.start();
    const snapshot = (await app.gate.event(venue.event))!;
    const cookie = await signIn(app, venue.staff);
    const status = async () =>
      (await app.server.inject({ method: "GET", url: `/gate/${venue.event}/status`, headers: { cookie } })).json() as {
        snapshot: { block: number; bootstrap?: { from: string; block: number; indexError?: string } };
      };
    return { app, snapshot, status };
  }

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    const fan = venue.fans[1];
    await venue.write("transferFrom", [fan.address, buyer.address, tokenId(1, 11)], fan);
    await venue.write("setDenied", [[venue.fans[2].address], true]);
    await venue.write("setCheckInLead", [48]);
    await venue.write("checkIn", [[tokenId(1, 1), tokenId(2, 13)]], venue.writer);
    index = await startIndexer(chain.rpcUrl, venue.platform);
    await index.indexer.syncOnce();
  });
  // Each test's gates close after it: left open, every earlier test's gates would go on following
  // the chain beside the next test's.
  afterEach(async function () {
    for (const app of apps.splice(0)) await app.close();
  });
  after(async function () {
    await index?.close();
    await chain?.rpc.close();
  });

  it("starts from the index's state at its block and holds what replaying every log gives", async function () {
    const fromIndex = await gate(index.url);
    const fromLogs = await gate();
    const indexed = (await fromIndex.status()).snapshot.bootstrap;
    expect(indexed).to.deep.include({ from: "index" });
    expect(indexed!.block, "the index's block").to.equal(Number(await chain.clients.publicClient.getBlockNumber()));
    expect((await fromLogs.status()).snapshot.bootstrap).to.deep.include({ from: "logs" });
    const replayed = facts(fromLogs.snapshot);
    expect(facts(fromIndex.snapshot)).to.deep.equal(replayed);
    // Not vacuous: the venue's state is all there.
    expect(replayed.owners).to.have.length(32);
    expect(replayed.checkedIn).to.have.length(2);
    expect(replayed.denied).to.deep.equal([venue.fans[2].address.toLowerCase()]);
    expect(replayed.gates).to.have.length(2);
    expect(replayed.times[2]).to.equal(48);
    expect(replayed.tiers[2].seatMap).to.have.length(1);
    expect(replayed.tiers[3].entryStart).to.be.greaterThan(0);
  });

  it("completes an index that is behind from the chain's logs after its block, and follows on", async function () {
    // The index stops here; the chain goes on.
    const behind = Number(await chain.clients.publicClient.getBlockNumber());
    const seller = venue.fans[0];
    await venue.write("transferFrom", [seller.address, buyer.address, tokenId(1, 2)], seller);
    await venue.write("setDenied", [[venue.fans[2].address], false]);
    await venue.write("setDenied", [[buyer.address], true]);
    const fromIndex = await gate(index.url);
    const fromLogs = await gate();
    expect((await fromIndex.status()).snapshot.bootstrap).to.deep.include({ from: "index", block: behind });
    expect(facts(fromIndex.snapshot)).to.deep.equal(facts(fromLogs.snapshot));
    expect(fromIndex.snapshot.owners.get(tokenId(1, 2))).to.equal(buyer.address.toLowerCase());
    expect([...fromIndex.snapshot.denied]).to.deep.equal([buyer.address.toLowerCase()]);

    // And later changes reach both alike.
    await venue.write("transferFrom", [buyer.address, seller.address, tokenId(1, 11)], buyer).catch(() => undefined); // a denied holder cannot move it
    await venue.write("setDenied", [[buyer.address], false]);
    await venue.write("transferFrom", [buyer.address, seller.address, tokenId(1, 11)], buyer);
    expect(await fromIndex.app.gate.refresh()).to.equal(true);
    expect(await fromLogs.app.gate.refresh()).to.equal(true);
    expect(facts(fromIndex.snapshot)).to.deep.equal(facts(fromLogs.snapshot));
    expect(fromIndex.snapshot.owners.get(tokenId(1, 11))).to.equal(seller.address.toLowerCase());
  });

  it("reads a deny list longer than the index's pages (2,001 accounts: pages of 1,000, 1,000 and 1)", async function () {
    const denied = Array.from({ length: 2001 }, (_, i) => `0x${(0xd000000 + i).toString(16).padStart(40, "0")}` as const);
    for (let i = 0; i < denied.length; i += 500) await venue.write("setDenied", [denied.slice(i, i + 500), true]);
    await index.indexer.syncOnce();
    const fromIndex = await gate(index.url);
    const fromLogs = await gate();
    const indexed = facts(fromIndex.snapshot);
    for (const account of [denied[0], denied[999], denied[1000], denied[1999], denied[2000]]) expect(indexed.denied).to.include(account);
    expect(indexed.denied.length).to.be.at.least(denied.length);
    // The staff sort after these accounts: on the last page.
    expect(indexed.gates).to.have.length(2);
    expect(indexed).to.deep.equal(facts(fromLogs.snapshot));
    expect((await fromIndex.status()).snapshot.bootstrap).to.deep.include({ from: "index", block: Number(await chain.clients.publicClient.getBlockNumber()) });
  });

  it("replays the logs when the index cannot be read, and says why", async function () {
    const nowhere = `http://127.0.0.1:${await freePort()}/subgraphs/name/chainpass`;
    const fallback = await gate(nowhere);
    const bootstrap = (await fallback.status()).snapshot.bootstrap;
    expect(bootstrap).to.deep.include({ from: "logs" });
    expect(bootstrap!.indexError).to.be.a("string").and.not.equal("");
    expect(facts(fallback.snapshot)).to.deep.equal(facts((await gate()).snapshot));
  });
});
