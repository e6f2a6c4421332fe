// Issue 16, requirements 5 and 6: the local index follows a sales channel to settlement. The
// conformance test covers channels while an event is on sale; this one moves the chain past the
// event's end and settlement delay, settles, and checks what the index says the channel was paid
// (and that its payout's credit shows) against the contract's views.
import { expect } from "chai";

import { EVENT_CHANNELS, MY_CREDITS, queryIndex, type EventChannels, type MyCredits } from "../../lib/index/index.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { rpc, startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { subgraphDifferences } from "../helpers/subgraph-store.js";
import { startLocalChain, venueFixture } from "../helpers/server.js";
import { chainpassEventAbi } from "../../lib/abi/index.js";

const PRICE = 10n ** 16n;

describe("Server: local index of sales channels through settlement", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let index: IndexerUnderTest | undefined;

  before(async function () {
    chain = await startLocalChain();
  });
  after(async function () {
    await index?.close();
    await chain.rpc.close();
  });

  it("counts a channel's commission paid at settlement and credits its payout, as channel(id) and credits(payout) say", async function () {
    const venue = await venueFixture(chain.clients);
    const agency = localAccount(12);
    const [fan] = venue.fans;
    await venue.write("addChannel", [agency.address, 1_500n, "Box office"]);
    await venue.write("buyThrough", [1n, 4n, fan.address, 4n * PRICE, 1n], fan, 4n * PRICE);
    await venue.write("refundTicket", [1_000_031n, true]); // the first of the four (30 sold before)

    const read = <T>(functionName: string, args: unknown[]) =>
      chain.clients.publicClient.readContract({ address: venue.event, abi: chainpassEventAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
    const info = await read<{ end: number; settlementDelay: number }>("eventInfo", []);
    const block = await chain.clients.publicClient.getBlock();
    await rpc(chain.rpcUrl, "evm_increaseTime", [Number(BigInt(info.end) + BigInt(info.settlementDelay) - block.timestamp) + 60]);
    await rpc(chain.rpcUrl, "evm_mine");
    const owedBefore = (await read<{ owed: bigint }>("channel", [1n])).owed;
    expect(owedBefore).to.equal((3n * PRICE * 1_500n) / 10_000n);
    await venue.write("withdraw", []);

    index = await startIndexer(chain.rpcUrl, venue.platform);
    await index.indexer.syncOnce();
    const { event } = await queryIndex<EventChannels>(index.url, EVENT_CHANNELS, { event: venue.event.toLowerCase() });
    const [channel] = event!.channels;
    expect(channel).to.deep.include({
      label: "Box office",
      ticketsSold: "4",
      ticketsReversed: "1",
      revenue: String(3n * PRICE),
      commissionEarned: String((4n * PRICE * 1_500n) / 10_000n),
      commissionReversed: String((PRICE * 1_500n) / 10_000n),
      commissionPaid: String(owedBefore),
      commissionOwed: String((await read<{ owed: bigint }>("channel", [1n])).owed),
    });
    expect(channel.commissionOwed).to.equal("0");

    // The agency's payout sees the commission among its credits, as the contract counts it.
    const { eventAccounts } = await queryIndex<MyCredits>(index.url, MY_CREDITS, { account: agency.address.toLowerCase() });
    expect(eventAccounts.map((a) => [a.event.id, a.credits])).to.deep.equal([[venue.event.toLowerCase(), String(await read<bigint>("credits", [agency.address]))]]);
    expect(await read<bigint>("credits", [agency.address])).to.equal(owedBefore);
    // The compiled subgraph stores the same channel, sales, refund and credits.
    expect(await subgraphDifferences(index.db, chain.clients, venue.platform.factoryBlock)).to.deep.equal([]);
  });
});
