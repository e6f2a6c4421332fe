// The gate's follower of new heads (server/gate/head-follower.ts) against a real node's WebSocket:
// it knows the node's head with its transactions as the node announces it, and says nothing
// (undefined) whenever that might not be the newest: before its first head, after the link
// drops, when polling saw a newer block, after a read it left unanswered, for an endpoint without
// a WebSocket. The freshness barrier's head reads go on its socket, and over HTTP when it drops.
import { expect } from "chai";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { blockReader } from "../../server/chain.js";
import { HeadFollower } from "../../server/gate/head-follower.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { eventually } from "../helpers/eventually.js";
import { startRpcLink } from "../helpers/rpc-link.js";
import { startLocalChain } from "../helpers/server.js";

describe("Server: the gate's follower of new heads", function () {
  this.timeout(60_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  const followers: HeadFollower[] = [];
  const follow = (rpcUrl: string, wsUrl = rpcUrl.replace(/^http/, "ws"), recentMs?: number) => {
    const logged: string[] = [];
    const follower = new HeadFollower(wsUrl, blockReader(rpcUrl, 2_000), (line) => logged.push(line), undefined, { recentMs });
    followers.push(follower);
    follower.start();
    return { follower, logged };
  };
  const send = async () => {
    const from = localAccount(0);
    const hash = await chain.clients.wallet(from).sendTransaction({ to: localAccount(1).address, value: 1n, account: from, chain: chain.clients.chain });
    const receipt = await chain.clients.publicClient.waitForTransactionReceipt({ hash });
    return { hash, block: receipt.blockNumber, blockHash: receipt.blockHash };
  };

  before(async function () {
    chain = await startLocalChain();
  });
  after(async function () {
    for (const follower of followers) follower.close();
    await chain?.rpc.close();
  });

  it("knows the node's head from its first answer, then each block as announced, with its transactions", async function () {
    const { follower } = follow(chain.rpcUrl);
    const head = await chain.clients.publicClient.getBlockNumber();
    await eventually(async () => follower.latest()?.number === head, "the head it subscribed at", 10_000);
    const sent = await send();
    // The announcement is on the socket before the receipt is: one loop turn reads it.
    await eventually(async () => follower.latest()?.number === sent.block, "the announced block", 5_000);
    expect(follower.latest()).to.deep.include({ hash: sent.blockHash, transactions: [sent.hash] });
  });

  it("says nothing once polling saw a newer block than the last announcement", async function () {
    const { follower } = follow(chain.rpcUrl);
    await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
    const known = follower.latest()!.number;
    follower.saw(known);
    expect(follower.latest()?.number, "the same block is fine").to.equal(known);
    follower.saw(known + 1n);
    expect(follower.latest(), "an announcement may be missing").to.equal(undefined);
    const sent = await send();
    await eventually(async () => follower.latest()?.number === sent.block, "caught up by the next announcement", 5_000);
  });

  it("says nothing while the link is down, and follows again once it is back", async function () {
    const link = await startRpcLink(chain.rpcUrl);
    try {
      const { follower, logged } = follow(link.url);
      await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
      link.down();
      await eventually(async () => follower.latest() === undefined, "forgotten when the socket drops", 5_000);
      expect(logged.join("\n")).to.match(/new heads are not followed \(the WebSocket to ws:\/\/127\.0\.0\.1:\d+ (closed|failed)\)/);
      const sent = await send(); // mined while the link is down
      link.up();
      await eventually(async () => follower.latest()?.number === sent.block, "the head after reconnecting", 15_000);
      expect(logged.at(-1)).to.equal("new heads are followed again");
    } finally {
      await link.close();
    }
  });

  it("knows the head again after a reconnect with no block mined meanwhile", async function () {
    const link = await startRpcLink(chain.rpcUrl);
    try {
      const { follower } = follow(link.url);
      await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
      const head = follower.latest()!;
      link.down();
      await eventually(async () => follower.latest() === undefined, "forgotten when the socket drops", 5_000);
      link.up();
      await eventually(async () => follower.latest() !== undefined, "the same head, read when subscribed again", 15_000);
      expect(follower.latest()).to.deep.equal(head);
    } finally {
      await link.close();
    }
  });

  it("drops a socket gone silent (a link that died without closing) and follows again once it answers", async function () {
    const link = await startRpcLink(chain.rpcUrl);
    try {
      const logged: string[] = [];
      const follower = new HeadFollower(link.url.replace(/^http/, "ws"), blockReader(chain.rpcUrl, 2_000), (line) => logged.push(line), undefined, { probeMs: 500 });
      followers.push(follower);
      follower.start();
      await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
      // Quiet but alive: no block for three probe intervals, and the small question is answered
      // each time (an interval of 500 ms: a busy machine's answer may take a few hundred).
      await new Promise((r) => setTimeout(r, 1_500));
      expect(follower.latest(), "kept while the node answers").to.not.equal(undefined);
      expect(logged).to.deep.equal([]);
      link.hang();
      await eventually(async () => follower.latest() === undefined, "dropped once silent", 5_000);
      expect(logged.join("\n")).to.match(/the WebSocket to ws:\/\/127\.0\.0\.1:\d+ was silent for \d+ ms/);
      link.up();
      const sent = await send();
      await eventually(async () => follower.latest()?.number === sent.block, "the head over a new socket", 15_000);
      expect(logged.at(-1)).to.equal("new heads are followed again");
    } finally {
      await link.close();
    }
  });

  it("asks a quiet socket before it drops it, however late its timer fires (a busy event loop)", async function () {
    const logged: string[] = [];
    const follower = new HeadFollower(chain.rpcUrl.replace(/^http/, "ws"), blockReader(chain.rpcUrl, 2_000), (line) => logged.push(line), undefined, { probeMs: 300 });
    followers.push(follower);
    follower.start();
    await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
    // The loop busy for three probe intervals: the next tick finds the socket silent that long,
    // though it was never asked anything.
    const until = performance.now() + 900;
    while (performance.now() < until) {
      // busy
    }
    await new Promise((r) => setTimeout(r, 700)); // the question asked, answered, a tick after
    expect(logged, "not dropped").to.deep.equal([]);
    expect(follower.latest()).to.not.equal(undefined);
  });

  it("reads the head on its socket while it follows, and says it cannot before it does", async function () {
    let httpReads = 0;
    const readBlock = blockReader(chain.rpcUrl, 2_000);
    const follower = new HeadFollower(chain.rpcUrl.replace(/^http/, "ws"), (hash) => (httpReads++, readBlock(hash)), () => undefined);
    followers.push(follower);
    expect(follower.readHead(1_000), "not connected yet").to.equal(undefined);
    follower.start();
    await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
    const before = httpReads;
    const sent = await send();
    await eventually(async () => follower.latest()?.number === sent.block, "the announced block", 5_000);
    const fromAnnouncement = httpReads; // the announced block, read by hash
    const head = await follower.readHead(1_000);
    expect(head).to.deep.include({ number: sent.block, hash: sent.blockHash, transactions: [sent.hash] });
    expect(httpReads, "the read went on the socket").to.equal(fromAnnouncement);
    expect(fromAnnouncement - before).to.equal(1);
  });

  it("knows its socket's round trip (the shortest of its subscription and head reads), and forgets it with the socket", async function () {
    const link = await startRpcLink(chain.rpcUrl);
    try {
      // Round trips count for a minute here (a second as shipped: the next test): a loaded machine may take longer between the steps.
      const { follower } = follow(link.url, undefined, 60_000);
      expect(follower.roundTripMs(), "before any request").to.equal(undefined);
      await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
      const subscribed = follower.roundTripMs()!;
      expect(subscribed, "the subscription's").to.be.a("number").and.be.above(0);
      for (let i = 0; i < 5; i++) await follower.readHead(1_000);
      expect(follower.roundTripMs()).to.be.at.most(subscribed);
      link.down();
      await eventually(async () => follower.latest() === undefined, "forgotten when the socket drops", 5_000);
      // The next socket may go another way: its round trip is measured anew.
      expect(follower.roundTripMs()).to.equal(undefined);
      link.up();
      await eventually(async () => follower.latest() !== undefined, "following again", 15_000);
      expect(follower.roundTripMs()).to.be.a("number").and.be.above(0);
    } finally {
      await link.close();
    }
  });

  it("counts only the round trips of the last second: at a quiet door, none", async function () {
    const recentMs = 300; // for the test; a second as shipped
    const { follower } = follow(chain.rpcUrl, undefined, recentMs);
    await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
    await follower.readHead(1_000);
    expect(follower.roundTripMs(), "just measured").to.be.a("number").and.be.above(0);
    await new Promise((r) => setTimeout(r, recentMs + 100));
    expect(follower.roundTripMs(), "older than that: the link may have changed since").to.equal(undefined);
    await follower.readHead(1_000);
    expect(follower.roundTripMs(), "measured again").to.be.a("number").and.be.above(0);
  });

  it("reads again over HTTP a head read still out when its socket drops", async function () {
    const link = await startRpcLink(chain.rpcUrl);
    try {
      let httpReads = 0;
      const readBlock = blockReader(chain.rpcUrl, 2_000);
      const follower = new HeadFollower(link.url.replace(/^http/, "ws"), (hash) => (httpReads++, readBlock(hash)), () => undefined);
      followers.push(follower);
      follower.start();
      await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
      link.hang();
      const before = httpReads;
      const read = follower.readHead(10_000)!;
      expect(read, "sent while the socket follows").to.not.equal(undefined);
      link.down();
      const head = await read;
      expect(head.number).to.equal(await chain.clients.publicClient.getBlockNumber());
      expect(httpReads - before, "read over HTTP").to.equal(1);
      expect(follower.readHead(1_000), "no socket now").to.equal(undefined);
    } finally {
      await link.close();
    }
  });

  it("fails a head read its socket leaves unanswered, then neither reads on it nor claims its head until it speaks again", async function () {
    const link = await startRpcLink(chain.rpcUrl);
    try {
      const follower = new HeadFollower(link.url.replace(/^http/, "ws"), blockReader(chain.rpcUrl, 2_000), () => undefined);
      followers.push(follower);
      follower.start();
      await eventually(async () => follower.latest() !== undefined, "a head", 10_000);
      link.hang();
      let failure: Error | undefined;
      await follower.readHead(300)!.catch((error: Error) => (failure = error));
      expect(failure?.message).to.match(/eth_getBlockByNumber on the WebSocket took longer than 300 ms/);
      expect(follower.readHead(300), "not asked again").to.equal(undefined);
      expect(follower.latest(), "its last announcement may be old").to.equal(undefined);
      link.up();
      const sent = await send(); // announced: the socket speaks
      await eventually(async () => follower.latest()?.number === sent.block, "the announced head", 5_000);
      expect((await follower.readHead(1_000))?.number).to.equal(sent.block);
    } finally {
      await link.close();
    }
  });

  it("never claims a head from an endpoint without a WebSocket, and says so once", async function () {
    const plain = createServer((_, res) => res.writeHead(404).end());
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", () => r()));
    try {
      const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
      const { follower, logged } = follow(chain.rpcUrl, url.replace(/^http/, "ws"));
      await eventually(async () => logged.length > 0, "a warning", 5_000);
      await new Promise((r) => setTimeout(r, 1_200)); // a retry or two
      expect(follower.latest()).to.equal(undefined);
      expect(logged).to.have.length(1);
      expect(logged[0]).to.match(/^new heads are not followed/);
    } finally {
      plain.closeAllConnections();
      await new Promise((r) => plain.close(r));
    }
  });
});
