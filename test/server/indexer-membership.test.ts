// Issue 16, requirements 1 and 3 in the index: a membership program's balances derived from the
// chain's own logs. Purchases earn by the published rate (rounded down per ticket) and the
// first-purchase bonus, a check-in earns attendance once per event, a return takes back what its
// ticket earned and gives back the points it cost, a correction says why; every change is listed.
// What the index says is checked against the contract (spent, levels, root) and against the
// amounts worked out by hand from the rules.
import { expect } from "chai";
import { encodeAbiParameters, parseEventLogs, type Hex } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { EVENT_PAGE, MEMBERSHIP_PROGRAM, MY_MEMBERSHIPS, PROGRAM_MEMBERS, queryIndex, type EventPage, type MembershipProgramResult, type MyMemberships, type ProgramMembers } from "../../lib/index/index.js";
import { buildBalanceTree, encodeMemberProof } from "../../lib/membership.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import type { Voucher } from "../../lib/vouchers.js";
import { localAccount, type Platform } from "../../scripts/lib/local-chain.js";
import { startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { tableOf } from "../../server/indexer/store.js";
import { subgraphDifferences } from "../helpers/subgraph-store.js";
import { membershipReader, membershipWriter, startLocalChain, tokenId, venueFixture } from "../helpers/server.js";

const PRICE = 10n ** 16n; // the venue's Standing tier
const ETH = "0x0000000000000000000000000000000000000000";
/** 10 points per 0.01 ETH; a point pays 0.0001 ETH. */
const RATE = { unit: 10n ** 16n, points: 10n };
const POINT_VALUE = 10n ** 14n;

describe("Server: local index of membership programs", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let index: IndexerUnderTest | undefined;
  let platform: Platform | undefined;

  before(async function () {
    chain = await startLocalChain();
  });
  after(async function () {
    await index?.close();
    await chain.rpc.close();
  });

  it("derives each member's points from purchases, attendance, returns and corrections, as the rules and the contract say", async function () {
    const venue = await venueFixture(chain.clients);
    platform = venue.platform;
    const { organizer, writer } = venue;
    const [fan, friend, stranger] = venue.fans;
    const signer = localAccount(9);
    const membership = venue.platform.membership;
    const program = membershipWriter(chain.clients, membership, organizer);
    const read = membershipReader(chain.clients, membership);
    const readEvent = <T>(functionName: string, args: unknown[]) =>
      chain.clients.publicClient.readContract({ address: venue.event, abi: chainpassEventAbi, functionName: functionName as never, args: args as never }) as Promise<T>;

    await program("createProgram", ["Friends of the Hall", signer.address]);
    await program("setEarnRate", [ETH, RATE.unit, RATE.points]);
    await program("setRewards", [25n, 50n]);
    await program("setLevels", [[100n, 300n], ["Silver", "Gold"]]);
    await program("setPointValue", [ETH, POINT_VALUE]);
    await venue.write("setMembership", [membership]);
    await venue.write("setTierPerks", [1n, { membersOnly: false, minLevel: 0, perkLevel: 1, discountBps: 1_000, extraPerWallet: 0 }]);
    await venue.write("setRefundPolicy", [[{ secondsBefore: 60, shareBps: 10_000 }], false]);
    await program("join", [organizer.address], fan);
    await program("join", [organizer.address], friend);

    // fan: 3 tickets (30 points) and the first-purchase bonus (50); friend: 2 (20 + 50), returns
    // the second (-10); a wallet that did not join earns nothing.
    await venue.write("buy", [1n, 3n, fan.address, 3n * PRICE], fan, 3n * PRICE); // serials 31-33
    await venue.write("buy", [1n, 2n, friend.address, 2n * PRICE], friend, 2n * PRICE); // 34-35
    await venue.write("buy", [1n, 1n, stranger.address, PRICE], stranger, PRICE); // 36
    await venue.write("returnTicket", [tokenId(1, 35)], friend);
    // Attendance: two of fan's tickets checked in, one event attended (25).
    await venue.write("checkIn", [[tokenId(1, 31), tokenId(1, 32)]], writer);
    await program("adjustPoints", [friend.address, -5n, "Duplicate bonus"]);

    // The signer posts the balances and fan's level (105 earned: Silver); fan then pays 20 points
    // a ticket (0.002 ETH) at the Silver discount (10%), earning on the cash: 0.007 ETH -> 7.
    const tree = buildBalanceTree([
      { member: fan.address, credited: 105n },
      { member: friend.address, credited: 55n },
    ])!;
    await program("postRoot", [organizer.address, tree.root, await chain.clients.publicClient.getBlockNumber(), 2n], signer);
    await program("setMemberLevels", [organizer.address, [fan.address], [1n]], signer);
    const cash = (PRICE * 9n) / 10n - 20n * POINT_VALUE;
    const member = encodeMemberProof(tree.proofFor(fan.address)!, 20n);
    await venue.write("buyWith", [1n, 1n, fan.address, purchaseOptions({ member, maxTotal: cash })], fan, cash); // 37
    expect(await readEvent<{ pricePaid: bigint }>("ticketInfo", [tokenId(1, 37)]).then((t) => t.pricePaid)).to.equal(cash);
    // Returned: the 7 points it earned are taken back, the 20 it cost given back.
    await venue.write("returnTicket", [tokenId(1, 37)], fan);
    // 50 points for a 25%-off voucher; the ticket it buys is returned: the 50 come back.
    await program("addVoucherOffer", [{ eventAddress: venue.event, tierId: 1n, percentOffBps: 2_500, amountOff: 0n, validFor: 86_400, points: 50n, active: true }]);
    const leaf = tree.proofFor(fan.address)!;
    const redeemed = await program("redeemPoints", [organizer.address, 0n, leaf.credited, leaf.proof], fan);
    const codeId = parseEventLogs({ abi: chainpassMembershipAbi, logs: redeemed.logs, eventName: "PointsRedeemed" })[0].args.codeId;
    const voucher = await read<Voucher>("voucherFor", [codeId]);
    const discounted = (((PRICE * 3n) / 4n) * 9n) / 10n; // the voucher, then Silver's 10%
    await venue.write("buyWith", [1n, 1n, fan.address, purchaseOptions({ voucher, voucherSignature: encodeAbiParameters([{ type: "bytes32" }], [codeId]), maxTotal: discounted })], fan, discounted); // 38
    await venue.write("returnTicket", [tokenId(1, 38)], fan);

    index = await startIndexer(chain.rpcUrl, venue.platform);
    await index.indexer.syncOnce();

    const fanMember = await queryIndex<MyMemberships>(index.url, MY_MEMBERSHIPS, { account: fan.address.toLowerCase() });
    const [mine] = fanMember.members;
    // The voucher's ticket earned 6 on its 0.00675 ETH (taken back with it).
    expect({ earned: mine.earned, givenBack: mine.givenBack, credited: mine.credited, spent: mine.spent, level: mine.level }).to.deep.equal({
      earned: String(30n + 50n + 25n + 7n - 7n + 6n - 6n),
      givenBack: "70",
      credited: "175",
      spent: "70",
      level: 1,
    });
    expect(BigInt(mine.spent)).to.equal(await read<bigint>("spent", [organizer.address, fan.address]));
    expect(mine.level).to.equal(Number(await read<bigint>("levelOf", [organizer.address, fan.address])));
    // Newest first: the return (given back, reversal), the spend and purchase, attendance, the first purchase.
    const kinds = mine.changes.map((c) => `${c.kind} ${c.points}`);
    expect(kinds).to.have.members([
      "Purchase 30",
      "FirstPurchase 50",
      "Attendance 25",
      "Spent 20",
      "Purchase 7",
      "Reversal -7",
      "GivenBack 20",
      "Redeemed 50",
      "Purchase 6",
      "Reversal -6",
      "GivenBack 50",
    ]);
    expect(mine.changes.find((c) => c.kind === "Attendance")!.event!.name).to.equal("Harbour Lights");
    expect(mine.program).to.deep.include({ name: "Friends of the Hall", levelNames: ["Silver", "Gold"], levelThresholds: ["100", "300"], attendancePoints: "25", firstPurchaseBonus: "50", memberCount: 2 });
    expect(mine.program.pointsSigner).to.equal(signer.address.toLowerCase());
    expect(mine.program.root).to.equal(tree.root);
    expect(mine.program.root).to.equal((await read<{ root: Hex }>("program", [organizer.address])).root);

    const friendMember = (await queryIndex<MyMemberships>(index.url, MY_MEMBERSHIPS, { account: friend.address.toLowerCase() })).members[0];
    expect([friendMember.earned, friendMember.credited, friendMember.level]).to.deep.equal([String(20n + 50n - 10n - 5n), "55", 0]);
    expect(friendMember.changes.find((c) => c.kind === "Adjustment")).to.deep.include({ points: "-5", reason: "Duplicate bonus" });
    expect((await queryIndex<MyMemberships>(index.url, MY_MEMBERSHIPS, { account: stranger.address.toLowerCase() })).members).to.deep.equal([]);

    const members = await queryIndex<ProgramMembers>(index.url, PROGRAM_MEMBERS, { program: organizer.address.toLowerCase(), after: "0x", first: 100 });
    expect(members.members.map((m) => [m.account.id, m.credited]).sort()).to.deep.equal(
      [
        [fan.address.toLowerCase(), "175"],
        [friend.address.toLowerCase(), "55"],
      ].sort(),
    );

    const { membershipProgram } = await queryIndex<MembershipProgramResult>(index.url, MEMBERSHIP_PROGRAM, { program: organizer.address.toLowerCase() });
    expect(membershipProgram!.events.map((e) => e.id)).to.deep.equal([venue.event.toLowerCase()]);
    expect(membershipProgram!.earnRates).to.deep.equal([{ currency: ETH, unit: String(RATE.unit), points: String(RATE.points) }]);
    expect(membershipProgram!.pointValues).to.deep.equal([{ currency: ETH, value: String(POINT_VALUE) }]);

    const { event } = await queryIndex<EventPage>(index.url, EVENT_PAGE, { event: venue.event.toLowerCase() });
    expect(event!.membershipProgram).to.deep.include({ id: organizer.address.toLowerCase(), name: "Friends of the Hall" });
    expect(event!.tiers[0]).to.deep.include({ membersOnly: false, minLevel: 0, perkLevel: 1, discountBps: 1_000, extraPerWallet: 0 });
    expect(await readEvent<{ discountBps: number }>("tierPerks", [1n]).then((p) => p.discountBps)).to.equal(1_000);
  });

  it("the compiled subgraph (graph build's WASM) stores exactly what the local index stores after that program's life", async function () {
    expect(index && platform, "the scenario above ran").to.not.equal(undefined);
    const differences = await subgraphDifferences(index!.db, chain.clients, platform!.factoryBlock);
    expect(differences, differences.slice(0, 40).join("\n")).to.deep.equal([]);
    // Not vacuous: the program's entities are there.
    for (const type of ["Member", "PointsChange", "MemberAttendance", "PointsRoot", "PointValue"]) {
      expect((index!.db.prepare(`SELECT count(*) AS n FROM ${tableOf(type)}`).get() as { n: number }).n, type).to.be.greaterThan(0);
    }
  });
});
