// Conformance of the local index: a scripted scenario on a local chain (two events, one in ETH
// under the Capped policy, one in a 6-decimal ERC-20 under Open; primary sales with a seat
// choice, an early price and a discount voucher; resales; gifts; a plain transfer; check-ins; a
// deny-listed seller; organizer refunds with and without releasing the place; a cancellation and
// refund claims), then every document of lib/index answered by the index over HTTP, compared
// field by field with what the contracts' views say (and, for facts no view keeps, such as
// timestamps and per-sale amounts, with the transactions' own logs).
import { expect } from "chai";
import { getAddress, isAddressEqual, maxUint256 as ANY_PRICE, parseEventLogs, stringToHex, type Account, type Address, type Hex, type TransactionReceipt } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi, ticketFactoryAbi, ticketRendererAbi } from "../../lib/abi/index.js";
import {
  checkInsPerHour,
  EVENT_PAGE,
  PROGRAM_MEMBERS,
  type ProgramMembers,
  EVENT_PEOPLE,
  EXPLORE_EVENTS,
  GATE_EVENT,
  GATE_SNAPSHOT,
  HOUR,
  loadDashboard,
  MY_ROLES,
  MY_TICKETS,
  ORGANIZER_EXPORT,
  queryIndex,
  RESALE_LISTINGS,
  returnsOverTime,
  revenue,
  salesOverTime,
  salesByChannel,
  EVENT_CHANNELS,
  type EventChannels,
  SEATS_TAKEN,
  type EventPage,
  type EventPeople,
  type ExploreEvents,
  type MyRoles,
  type OrganizerExport,
  type GateEvent,
  type GateSnapshotPage,
  type MyTickets,
  type ResaleListings,
  type SeatsTaken,
  EVENT_CALENDARS,
  SLOT_SEATS_TAKEN,
  MY_REFUNDS,
  type MyRefunds,
  type EventCalendars,
  type SlotSeatsTaken,
} from "../../lib/index/index.js";
import { ruleOf, slotCount, slotOfToken, slotWindow, tierOfToken } from "../../lib/calendar.js";
import { purchaseOptions, type PurchaseOptions } from "../../lib/purchase-options.js";
import { codeIdFor, NO_VOUCHER, signVoucher, type Voucher } from "../../lib/vouchers.js";
import { artifact, createEvent, deployPlatform, localAccount, type Platform } from "../../scripts/lib/local-chain.js";
import type { SubgraphRunner } from "../../server/subgraph-host/runner.js";
import { startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { compiledSubgraph, localIndexStore, runSubgraph, serveSubgraphStore, storeDifferences, subgraphStore } from "../helpers/subgraph-store.js";
import { eventWriter, GATE_ROLE, membershipWriter, now, startLocalChain } from "../helpers/server.js";

const ETH = 10n ** 18n;
const USDC = 10n ** 6n;
const TOKENS_PER_TIER = 1_000_000n;
const ZERO = "0x0000000000000000000000000000000000000000";
const POLICIES = ["Open", "Capped", "Locked"];
const LISTING_STATES = ["Active", "NotListed", "TokenMoved", "CheckedIn", "EventCancelled", "EventEnded", "SellerDenied"];

const lower = (a: string) => a.toLowerCase() as Hex;
const str = (n: bigint | number) => n.toString();
const uint256 = (n: bigint) => n.toString(16).padStart(64, "0");
const int32le = (n: number) => Buffer.from(Int32Array.of(n).buffer).toString("hex");
const ticketId = (event: Address, tokenId: bigint) => `${lower(event)}${uint256(tokenId)}`;
const tierEntityId = (event: Address, tierId: bigint | number) => `${lower(event)}${uint256(BigInt(tierId))}`;
const logId = (log: { transactionHash: Hex; logIndex: number }) => `${log.transactionHash}${int32le(log.logIndex)}`;
const byTimeThenId =
  <T extends { id: string }>(time: (x: T) => bigint) =>
  (a: T, b: T) =>
    time(a) === time(b) ? (a.id < b.id ? -1 : 1) : time(a) < time(b) ? -1 : 1;

describe("Server: local index conformance (lib/index documents against the contracts)", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let platform: Platform;
  let index: IndexerUnderTest;
  /** The compiled subgraph run over the same chain, and the index API over its store. */
  let runner: SubgraphRunner;
  let subgraphIndex: IndexerUnderTest;
  /** The back end the documents are asked of now. */
  let served: IndexerUnderTest;
  let evA: Address; // ETH, Capped
  let evB: Address; // USDC, Open, cancelled
  let evC: Address; // ETH, a museum's timed-entry calendar
  const organizer = localAccount(2);
  const staff = localAccount(3);
  const fans = [localAccount(5), localAccount(6), localAccount(7), localAccount(8)];
  /** Visitors of event C only, so that the other events' expectations stay as they are. */
  const visitors = [localAccount(9), localAccount(10)];
  const receipts: TransactionReceipt[] = [];
  const blockTime = new Map<bigint, bigint>();

  const read = <T>(address: Address, functionName: string, args: unknown[] = []) =>
    chain.clients.publicClient.readContract({ address, abi: chainpassEventAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
  const ownerOf = (event: Address, tokenId: bigint) => read<Address>(event, "ownerOf", [tokenId]).catch(() => undefined);

  /** The scenario's logs of one event, decoded. */
  const logs = (event: Address) =>
    parseEventLogs({ abi: chainpassEventAbi, logs: receipts.flatMap((r) => r.logs).filter((l) => l.address.toLowerCase() === event.toLowerCase()) });
  const mintedTokens = (event: Address) => [
    ...new Set(logs(event).flatMap((l) => (l.eventName === "Transfer" && l.args.from === ZERO ? [l.args.tokenId] : []))),
  ];
  const timeOf = (log: { blockNumber: bigint }) => blockTime.get(log.blockNumber)!;
  /** The CheckInUndone that undid `checkIn` (the next undo of its token, before any later check-in). */
  const undoneAfter = (eventLogs: ReturnType<typeof logs>, checkIn: ReturnType<typeof logs>[number]) => {
    const tokenId = (checkIn.args as { tokenId: bigint }).tokenId;
    const later = eventLogs.filter((l) => (l.blockNumber > checkIn.blockNumber || (l.blockNumber === checkIn.blockNumber && l.logIndex > checkIn.logIndex)) && (l.args as { tokenId?: bigint }).tokenId === tokenId);
    const next = later.find((l) => l.eventName === "CheckInUndone" || l.eventName === "CheckedIn");
    return next?.eventName === "CheckInUndone" ? next : undefined;
  };
  /** The ChannelSale a primary purchase logged right after its TicketsPurchased, if it named a channel. */
  const channelSaleAfter = (eventLogs: ReturnType<typeof logs>, purchase: { transactionHash: Hex; logIndex: number }) => {
    const next = eventLogs.find((l) => l.transactionHash === purchase.transactionHash && l.logIndex === purchase.logIndex + 1);
    return next?.eventName === "ChannelSale" ? next : undefined;
  };
  /** The membership contract's logs of the scenario, decoded. */
  const programLogs = () =>
    parseEventLogs({ abi: chainpassMembershipAbi, logs: receipts.flatMap((r) => r.logs).filter((l) => isAddressEqual(l.address, platform.membership)) });
  const logBefore = (a: { blockNumber: bigint; logIndex: number }, b: { blockNumber: bigint; logIndex: number }) =>
    a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex);
  /** The buyer's level on chain when a purchase was logged; null if the event was in no program or they had not joined it. */
  const memberLevelAt = (event: Address, buyer: Address, purchase: { blockNumber: bigint; logIndex: number }) => {
    const earlier = programLogs().filter((l) => logBefore(l, purchase));
    const enrolled = earlier.findLast((l) => l.eventName === "EventEnrolled" && isAddressEqual(l.args.eventAddress, event));
    if (!enrolled) return null;
    const { organizer } = enrolled.args as { organizer: Address };
    const ofBuyer = (l: (typeof earlier)[number]) => isAddressEqual((l.args as { organizer: Address }).organizer, organizer) && isAddressEqual((l.args as { member?: Address }).member ?? ZERO, buyer);
    if (!earlier.some((l) => l.eventName === "MemberJoined" && ofBuyer(l))) return null;
    const level = earlier.findLast((l) => l.eventName === "MemberLevelSet" && ofBuyer(l));
    return level ? Number((level.args as { level: bigint }).level) : 0;
  };
  /** Points a purchase's buyer spent on it (the PointsSpent logged before it in its transaction). */
  const pointsSpentOn = (event: Address, purchase: { transactionHash: Hex; logIndex: number }) => {
    const spent = programLogs().findLast(
      (l) => l.eventName === "PointsSpent" && l.transactionHash === purchase.transactionHash && l.logIndex < purchase.logIndex && isAddressEqual(l.args.eventAddress, event),
    );
    return spent ? str((spent.args as { pointsPerTicket: bigint; quantity: bigint }).pointsPerTicket * (spent.args as { quantity: bigint }).quantity) : "0";
  };
  /** A ticket's place as the contracts give it, in the index's shape: serial, seat label, entry window. */
  const placeOf = async (event: Address, tokenId: bigint) => {
    const [entryStart, entryEnd] = await read<[number, number]>(event, "entryWindow", [tokenId]);
    const label = await chain.clients.publicClient.readContract({ address: platform.renderer, abi: ticketRendererAbi, functionName: "seatLabel", args: [event, tokenId] });
    return { serial: Number(tokenId % TOKENS_PER_TIER), seatLabel: label || null, entryStart: str(entryStart), entryEnd: str(entryEnd) };
  };

  before(async function () {
    chain = await startLocalChain();
    platform = await deployPlatform(chain.clients);
    const t = now();
    const usdc = artifact("test/MockUSDC.sol/MockUSDC.json").abi;
    const pub = chain.clients.publicClient;
    const wallet = chain.clients.wallet;
    const track = async (receipt: Promise<TransactionReceipt>) => {
      const r = await receipt;
      if (r.status !== "success") throw new Error("transaction reverted");
      receipts.push(r);
      return r;
    };
    const token = async (from: Account, spender: Address, amount: bigint) => {
      for (const [functionName, args] of [
        ["mint", [from.address, amount]],
        ["approve", [spender, amount]],
      ] as const) {
        await pub.waitForTransactionReceipt({
          hash: await wallet(from).writeContract({ address: platform.usdc, abi: usdc, functionName, args, account: from, chain: chain.clients.chain }),
        });
      }
    };
    const options = ({ signature, ...o }: Partial<PurchaseOptions> & { signature?: Hex } = {}) => purchaseOptions({ ...o, voucherSignature: signature ?? "0x" });

    // ---------------------------------------------------------------- event A: ETH, Capped
    evA = await createEvent(
      chain.clients,
      platform.factory,
      organizer,
      { name: "Harbour Lights", symbol: "HL", metadataURI: "ipfs://harbour", start: t + 86_400, end: t + 90_000, policy: 1, giftsPerHolder: 2 },
      [
        { name: "Standing", price: ETH / 100n, supply: 100, saleStart: t - 60, saleEnd: t + 80_000 },
        { name: "Stalls", price: ETH / 50n, supply: 1, saleStart: t - 60, saleEnd: t + 80_000 },
        { name: "Early slot", price: ETH / 100n, supply: 50, maxPerWallet: 4, saleStart: t - 60, saleEnd: t + 80_000 },
      ],
    );
    const a = eventWriter(chain.clients, evA, organizer);
    const A = (fn: string, args: unknown[], account: Account = organizer, value?: bigint) => track(a(fn, args, account, value));
    await A("grantRole", [GATE_ROLE, staff.address]);
    const section = `0x${Buffer.from("Stalls").toString("hex").padEnd(32, "0")}`;
    await A("setSeatMap", [2n, [{ section, firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 10, letteredRows: true }]]);
    await A("setTierOptions", [
      3n,
      {
        earlyPrice: (ETH * 8n) / 1000n,
        earlyUntil: t + 3_000,
        entryStart: t + 86_400,
        entryEnd: t + 88_000,
        presaleStart: 0,
        presaleRoot: `0x${"00".repeat(32)}`,
      },
    ]);
    await A("buy", [1n, 3n, fans[0].address, ANY_PRICE], fans[0], (3n * ETH) / 100n); // 1000001-3
    await A("buy", [1n, 2n, fans[2].address, ANY_PRICE], fans[1], (2n * ETH) / 100n); // 1000004-5, bought for fan 2
    await A("buyWith", [2n, 2n, fans[0].address, options({ seats: [13n, 14n] })], fans[0], (2n * ETH) / 50n); // 2000013, 2000014
    const early = await read<bigint>(evA, "priceOf", [3n, fans[1].address, NO_VOUCHER]);
    await A("buy", [3n, 1n, fans[1].address, early], fans[1], early); // 3000001 at the early price
    const voucher: Voucher = {
      ...NO_VOUCHER,
      eventAddress: evA,
      tierId: 1n,
      percentOffBps: 2000,
      maxUses: 5,
      expiresAt: t + 86_400,
      signer: organizer.address,
      codeId: codeIdFor("SPRING"),
    };
    const signature = await signVoucher(organizer, 31337, voucher);
    const discounted = await read<bigint>(evA, "priceOf", [1n, fans[3].address, voucher]);
    await A("buyWith", [1n, 2n, fans[3].address, options({ voucher, signature })], fans[3], 2n * discounted); // 1000006-7
    await A("list", [1_000_001n, (ETH * 11n) / 1000n], fans[0]);
    await A("updateListing", [1_000_001n, (ETH * 105n) / 10_000n], fans[0]);
    await A("buyListing", [1_000_001n, (ETH * 105n) / 10_000n], fans[1], (ETH * 105n) / 10_000n); // resold to fan 1
    await A("list", [1_000_002n, (ETH * 9n) / 1000n], fans[0]); // stays on sale
    await A("list", [1_000_004n, ETH / 100n], fans[2]);
    await A("cancelListing", [1_000_004n], fans[2]);
    await A("list", [1_000_004n, (ETH * 95n) / 10_000n], fans[2]); // on sale again, dearer than 1000002
    await A("gift", [1_000_003n, fans[3].address], fans[0]);
    await A("list", [1_000_006n, (ETH * 8n) / 1000n], fans[3]);
    await A("setDenied", [[fans[3].address], true]); // its listing can no longer be bought
    await A("list", [1_000_005n, ETH / 100n], fans[2]);
    await A("setCheckInLead", [25]); // the event starts in a day: open the doors now
    await A("checkIn", [[1_000_001n, 2_000_013n, 3_000_001n, 1_000_005n, 1_000_001n]], staff); // the repeat is skipped
    await A("undoCheckIn", [[2_000_013n, 1_000_002n]]); // 1000002 was never in: skipped
    await A("refundTicket", [2_000_014n, true]); // seat 14 back on sale
    await A("refundTicket", [1_000_007n, false]);
    await A("buyWith", [2n, 1n, fans[1].address, options({ seats: [14n] })], fans[1], ETH / 50n); // seat 14 sold again
    // Returns (issue 15): a policy, made more generous with exchanges; a standing place and a seat returned.
    await A("setRefundPolicy", [[{ secondsBefore: 7_200, shareBps: 10_000 }], false]);
    await A("setRefundPolicy", [[{ secondsBefore: 7_200, shareBps: 10_000 }, { secondsBefore: 3_600, shareBps: 7_500 }], true]);
    await A("buy", [1n, 1n, fans[0].address, ANY_PRICE], fans[0], ETH / 100n); // 1000008
    await A("returnTicket", [1_000_008n], fans[0]); // full refund, one more standing place
    await A("buyWith", [2n, 1n, fans[0].address, options({ seats: [15n] })], fans[0], ETH / 50n); // 2000015
    await A("returnTicket", [2_000_015n], fans[0]); // seat 15 free again
    // Seat holds: 3-5 held, 5 released, 4 given to fan 2 as a comp; 3 stays held.
    await A("holdSeats", [2n, [3n, 4n, 5n]]);
    await A("releaseSeats", [2n, [5n]]);
    await A("compSeats", [2n, [4n], fans[2].address]); // 2000004 at price 0
    // Exchanges (the policy offers them): a standing place up to seat 16 (paying the difference), then
    // that seat down to the early slot (refunded the difference, in full this long before the start).
    await A("buy", [1n, 1n, fans[0].address, ANY_PRICE], fans[0], ETH / 100n); // 1000009
    await A("exchangeTicket", [1_000_009n, 2n, 0n, 16n, ANY_PRICE], fans[0], ETH / 50n - ETH / 100n); // 2000016
    await A("exchangeTicket", [2_000_016n, 3n, 0n, 0n, 0n], fans[0]); // 3000002
    // Sales channels (issue 16): an agency at 10% and an influencer at 5%. Two standing places
    // through the agency, a seat through the influencer; one agency place refunded, the other
    // exchanged to the early slot (the channel moves with it); the influencer closed; the
    // agency's payout changed.
    await A("addChannel", [staff.address, 1_000n, "Harbour Travel"]);
    await A("addChannel", [fans[2].address, 500n, "Quay influencer"]);
    await A("buyThrough", [1n, 2n, fans[1].address, ANY_PRICE, 1n], fans[1], (2n * ETH) / 100n); // 1000010-11
    await A("buyWith", [2n, 1n, fans[0].address, options({ seats: [17n], channel: 2n })], fans[0], ETH / 50n); // 2000017
    await A("refundTicket", [1_000_010n, false]);
    await A("exchangeTicket", [1_000_011n, 3n, 0n, 0n, 0n], fans[1]); // 3000003, through the agency still
    await A("closeChannel", [2n]);
    await A("setChannelPayout", [1n, fans[0].address]);
    // A membership program (issue 16): event A enrolled; Standing gives Silver (level 1) members
    // 10% off and one more a wallet. Fan 0 joins, is made Silver and buys one at the member price;
    // fan 1 joins and buys one at the full price (no level).
    const membership = membershipWriter(chain.clients, platform.membership, organizer);
    const M = (functionName: string, args: unknown[], account: Account = organizer) => track(membership(functionName, args, account));
    await M("createProgram", ["Harbour Friends", organizer.address]);
    await M("setEarnRate", [ZERO, ETH / 100n, 10n]);
    await M("setLevels", [[100n], ["Silver"]]);
    await A("setMembership", [platform.membership]);
    await A("setTierPerks", [1n, { membersOnly: false, minLevel: 0, perkLevel: 1, discountBps: 1_000, extraPerWallet: 1 }]);
    await M("join", [organizer.address], fans[0]);
    await M("join", [organizer.address], fans[1]);
    await M("setMemberLevels", [organizer.address, [fans[0].address], [1n]]);
    await A("buyWith", [1n, 1n, fans[0].address, options()], fans[0], ((ETH / 100n) * 9n) / 10n);
    await A("buyWith", [1n, 1n, fans[1].address, options()], fans[1], ETH / 100n);

    // ---------------------------------------------------------------- event B: USDC, Open, cancelled
    evB = await createEvent(
      chain.clients,
      platform.factory,
      organizer,
      {
        name: "Dockside Sessions",
        symbol: "DS",
        metadataURI: "ipfs://dockside",
        start: t + 86_400,
        end: t + 90_000,
        currency: platform.usdc,
        policy: 0,
        royaltyBps: 700,
        resaleCapBps: 12_000,
      },
      [{ name: "General admission", price: 25n * USDC, supply: 50, saleStart: t - 60, saleEnd: t + 80_000 }],
    );
    const b = eventWriter(chain.clients, evB, organizer);
    const B = (fn: string, args: unknown[], account: Account = organizer, value?: bigint) => track(b(fn, args, account, value));
    await token(fans[0], evB, 50n * USDC);
    await B("buy", [1n, 2n, fans[0].address, 50n * USDC], fans[0]); // 1000001-2
    await token(fans[1], evB, 25n * USDC);
    await B("buy", [1n, 1n, fans[1].address, 25n * USDC], fans[1]); // 1000003
    await B("transferFrom", [fans[0].address, fans[2].address, 1_000_002n], fans[0]);
    await B("list", [1_000_003n, 26n * USDC], fans[1]);
    await token(fans[2], evB, 26n * USDC);
    await B("buyListing", [1_000_003n, 26n * USDC], fans[2]);
    await B("list", [1_000_002n, 20n * USDC], fans[2]);
    await B("cancel", []);
    await B("claimRefund", [1_000_001n], fans[0]);
    await B("claimRefund", [1_000_002n], fans[2]);

    // ---------------------------------------------------------------- event C: a museum's season (issue 15)
    const firstDay = Math.floor(t / 86_400) + 1;
    evC = await createEvent(
      chain.clients,
      platform.factory,
      organizer,
      { name: "Harbour Museum", symbol: "HM", metadataURI: "ipfs://museum", start: firstDay * 86_400, end: (firstDay + 10) * 86_400 },
      [
        { name: "Adult", price: ETH / 50n, supply: 999_999, saleStart: t - 60, saleEnd: (firstDay + 10) * 86_400 },
        { name: "Child", price: ETH / 100n, supply: 999_999, saleStart: t - 60, saleEnd: (firstDay + 10) * 86_400 },
        { name: "Night tour", price: ETH / 20n, supply: 1, saleStart: t - 60, saleEnd: (firstDay + 10) * 86_400 },
      ],
    );
    const c = eventWriter(chain.clients, evC, organizer);
    const C = (fn: string, args: unknown[], account: Account = organizer, value?: bigint) => track(c(fn, args, account, value));
    // 10 days in UTC+1: 10:00, 11:00, 12:00 daily and 15:00 on weekdays; 4 places a slot; day 5 closed.
    await C("addCalendar", [
      {
        firstDay,
        dayCount: 10,
        utcOffsetMinutes: 60,
        slotMinutes: 60,
        saleLeadMinutes: 30,
        capacity: 4,
        runs: [
          { startMinute: 600, count: 3, weekdays: 127 },
          { startMinute: 900, count: 1, weekdays: 0b0111110 },
        ],
        closedDays: [5],
      },
      [1n, 2n],
    ]);
    // A run: the night tour's 10 seats every evening at 20:00 (calendar 3, the seat map its limit).
    await C("setSeatMap", [3n, [{ section: `0x${Buffer.from("Gallery").toString("hex").padEnd(32, "0")}`, firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 5, letteredRows: true }]]);
    await C("addCalendar", [{ firstDay, dayCount: 10, utcOffsetMinutes: 60, slotMinutes: 90, saleLeadMinutes: 0, capacity: 0, runs: [{ startMinute: 1_200, count: 1, weekdays: 127 }], closedDays: [] }, [3n]]);
    await C("grantRole", [GATE_ROLE, staff.address]);
    await C("setRefundPolicy", [[{ secondsBefore: 3_600, shareBps: 10_000 }], true]);
    const SLOT = 1_000_000_000n;
    await C("buySlot", [6n, [1n, 2n], [2n, 1n], visitors[0].address, ANY_PRICE], visitors[0], (2n * ETH) / 50n + ETH / 100n); // 6001000001-2, 6002000001
    await C("buySlot", [7n, [1n], [1n], visitors[1].address, ANY_PRICE], visitors[1], ETH / 50n); // 7001000003
    await C("buyWith", [2n, 1n, visitors[1].address, options({ slot: 9n })], visitors[1], ETH / 100n); // 9002000002
    await C("returnTicket", [6n * SLOT + 1_000_001n], visitors[0]); // a place in slot 6 back
    await C("exchangeTicket", [6n * SLOT + 2_000_001n, 1n, 10n, 0n, ANY_PRICE], visitors[0], ETH / 50n - ETH / 100n); // to 10001000004
    await C("buyWith", [3n, 2n, visitors[0].address, options({ seats: [1n, 2n], slot: 2n })], visitors[0], ETH / 10n); // 2003000001-2
    await C("buyWith", [3n, 1n, visitors[1].address, options({ seats: [1n], slot: 3n })], visitors[1], ETH / 20n); // 3003000001: seat 1 again, another night
    await C("returnTicket", [2n * SLOT + 3_000_002n], visitors[0]); // seat 2 of night 2 free again
    // Seats held per night (a run's seat named slot x 1e9 + seat): 5 and 6 of night 3, 7 of night 2;
    // 6 released, 7 given away.
    await C("holdSeats", [3n, [3n * SLOT + 5n, 3n * SLOT + 6n, 2n * SLOT + 7n]]);
    await C("releaseSeats", [3n, [3n * SLOT + 6n]]);
    await C("compSeats", [3n, [2n * SLOT + 7n], visitors[1].address]); // 2003000007 at price 0
    await C("setDaysClosed", [1n, [7n, 8n], true]);
    await C("setDaysClosed", [1n, [7n], false]); // day 8 stays closed
    await C("setCheckInLead", [48]);
    await C("checkIn", [[7n * SLOT + 1_000_003n]], staff);

    for (const r of receipts) {
      if (!blockTime.has(r.blockNumber)) blockTime.set(r.blockNumber, (await pub.getBlock({ blockNumber: r.blockNumber })).timestamp);
    }
    index = await startIndexer(chain.rpcUrl, platform);
    await index.indexer.syncOnce();
    runner = await compiledSubgraph();
    await runSubgraph(runner, chain.clients, platform.factoryBlock);
    subgraphIndex = await serveSubgraphStore(runner, chain.rpcUrl, platform, chain.clients);
  });

  after(async function () {
    await index?.close();
    await subgraphIndex?.close();
    await chain?.rpc.close();
  });

  // Every document twice: answered by the local index, and by the same API over the compiled
  // subgraph's store (what The Graph would have stored from the same chain).
  for (const backend of ["the local index", "the compiled subgraph's store"] as const) {
    describe(`answered by ${backend}`, function () {
      before(function () {
        served = backend === "the local index" ? index : subgraphIndex;
      });

      it("indexes up to the chain's head", async function () {
        const head = await chain.clients.publicClient.getBlock();
        const { _meta } = await queryIndex<EventPage>(served.url, EVENT_PAGE, { event: lower(evA) });
        expect(_meta.block).to.deep.equal({ number: Number(head.number), timestamp: Number(head.timestamp) });
      });

      for (const which of ["A", "B"] as const) {
        it(`EVENT_PAGE: event ${which} and its tiers, as eventInfo, tier, tierOptions, seatMap and tierPerks say`, async function () {
          const event = which === "A" ? evA : evB;
          const { event: page } = await queryIndex<EventPage>(served.url, EVENT_PAGE, { event: lower(event) });
          const info = await read<{
            name: string;
            symbol: string;
            metadataURI: string;
            currency: Address;
            payout: Address;
            start: number;
            end: number;
            settlementDelay: number;
            platformFeeBps: number;
            royaltyBps: number;
            resaleCapBps: number;
            policy: number;
            giftsPerHolder: number;
            tierCount: number;
            cancelled: boolean;
          }>(event, "eventInfo");
          const minted = mintedTokens(event);
          const checkedIn = await Promise.all(minted.map((id) => read<boolean>(event, "isCheckedIn", [id])));
          const refundLogs = logs(event).filter((l) => l.eventName === "Refunded" || l.eventName === "TicketReturned" || l.eventName === "TicketExchanged");
          const [policySteps, exchanges] = await read<[{ secondsBefore: number; shareBps: number }[], boolean]>(event, "refundPolicy");
          const eventId = (
            await chain.clients.publicClient.readContract({ address: platform.factory, abi: ticketFactoryAbi, functionName: "eventsOf", args: [organizer.address] })
          ).findIndex((e) => e === event);
          const cancelLog = logs(event).find((l) => l.eventName === "EventCancelled");

          expect(page).to.deep.include({
            id: lower(event),
            eventId: str(eventId),
            name: info.name,
            symbol: info.symbol,
            metadataURI: info.metadataURI,
            start: str(info.start),
            end: str(info.end),
            currency: lower(info.currency),
            payout: lower(info.payout),
            royaltyBps: info.royaltyBps,
            resaleCapBps: info.resaleCapBps,
            policy: POLICIES[info.policy],
            giftsPerHolder: info.giftsPerHolder,
            platformFeeBps: info.platformFeeBps,
            settlementDelay: info.settlementDelay,
            cancelled: info.cancelled,
            cancelledAt: cancelLog ? str((cancelLog.args as { timestamp: bigint }).timestamp) : null,
            tierCount: info.tierCount,
            organizer: { id: lower(organizer.address) },
            ticketsSold: str(logs(event).filter((l) => l.eventName === "Transfer" && l.args.from === ZERO).length),
            ticketsCheckedIn: str(checkedIn.filter(Boolean).length),
            ticketsRefunded: str(refundLogs.length),
            ticketsResold: str(logs(event).filter((l) => l.eventName === "ResaleSold").length),
            ticketsReturned: str(logs(event).filter((l) => l.eventName === "TicketReturned").length),
            refundDeadlines: policySteps.map((step) => str(step.secondsBefore)),
            refundShares: policySteps.map((step) => step.shareBps),
            exchangesOffered: exchanges,
          });
          expect(page!.tiers.map((t) => t.tierId)).to.deep.equal(Array.from({ length: info.tierCount }, (_, i) => i + 1));
          for (const tier of page!.tiers) {
            const id = BigInt(tier.tierId);
            const onChain = await read<{
              name: string;
              price: bigint;
              supply: number;
              sold: number;
              maxPerWallet: number;
              saleStart: number;
              saleEnd: number;
              paused: boolean;
            }>(event, "tier", [id]);
            const opts = await read<{ earlyPrice: bigint; earlyUntil: number; entryStart: number; entryEnd: number; presaleStart: number; presaleRoot: Hex }>(
              event,
              "tierOptions",
              [id],
            );
            const seatMap = await read<{ section: Hex; firstRow: number; rows: number; firstSeat: number; seatsPerRow: number; letteredRows: boolean }[]>(
              event,
              "seatMap",
              [id],
            );
            const perks = await read<{ membersOnly: boolean; minLevel: number; perkLevel: number; discountBps: number; extraPerWallet: number }>(event, "tierPerks", [id]);
            const ofTier = (tokenId: bigint) => tokenId / TOKENS_PER_TIER === id;
            let firstSeatId = 1;
            expect(tier).to.deep.equal({
              id: tierEntityId(event, id),
              tierId: tier.tierId,
              name: onChain.name,
              price: str(onChain.price),
              supply: str(onChain.supply),
              sold: str(onChain.sold),
              checkedIn: str(minted.filter((m, i) => ofTier(m) && checkedIn[i]).length),
              refunded: str(refundLogs.filter((l) => ofTier((l.args as { tokenId: bigint }).tokenId)).length),
              maxPerWallet: str(onChain.maxPerWallet),
              saleStart: str(onChain.saleStart),
              saleEnd: str(onChain.saleEnd),
              paused: onChain.paused,
              earlyPrice: str(opts.earlyPrice),
              earlyUntil: str(opts.earlyUntil),
              entryStart: str(opts.entryStart),
              entryEnd: str(opts.entryEnd),
              presaleStart: str(opts.presaleStart),
              presaleRoot: BigInt(opts.presaleRoot) === 0n ? null : opts.presaleRoot,
              seated: seatMap.length > 0,
              membersOnly: perks.membersOnly,
              minLevel: perks.minLevel,
              perkLevel: perks.perkLevel,
              discountBps: perks.discountBps,
              extraPerWallet: perks.extraPerWallet,
              seatBlocks: seatMap.map((block, index) => {
                const out = {
                  index,
                  section: Buffer.from(block.section.slice(2), "hex").toString("utf8").split("\0")[0],
                  firstRow: block.firstRow,
                  rows: block.rows,
                  firstSeat: block.firstSeat,
                  seatsPerRow: block.seatsPerRow,
                  letteredRows: block.letteredRows,
                  firstSeatId,
                };
                firstSeatId += block.rows * block.seatsPerRow;
                return out;
              }),
            });
          }
        });
      }

      it("SEATS_TAKEN: the seated tier's seats that isSeatTaken reports, the held ones as isSeatHeld says", async function () {
        const { tickets, heldSeats } = await queryIndex<SeatsTaken>(served.url, SEATS_TAKEN, { tier: tierEntityId(evA, 2) });
        const taken: number[] = [];
        const held: number[] = [];
        for (let seat = 1; seat <= 20; seat++) {
          if (await read<boolean>(evA, "isSeatTaken", [2n, BigInt(seat)])) taken.push(seat);
          if (await read<boolean>(evA, "isSeatHeld", [2n, BigInt(seat)])) held.push(seat);
        }
        expect([...tickets.map((t) => t.serial), ...heldSeats.map((h) => h.serial)].sort((a, b) => a - b)).to.deep.equal(taken);
        expect(heldSeats.map((h) => h.serial)).to.deep.equal(held);
        expect(taken).to.deep.equal([3, 4, 13, 14, 17]); // 17: bought through a sales channel
        expect(held).to.deep.equal([3]);
      });

      for (const fan of [0, 1, 2, 3]) {
        it(`MY_TICKETS: fan ${fan} holds exactly what ownerOf says, with each ticket's facts, and the tickets refunded from it`, async function () {
          const account = fans[fan];
          const { tickets, refunded } = await queryIndex<MyTickets>(served.url, MY_TICKETS, { owner: lower(account.address) });
          const expected = [];
          for (const event of [evA, evB]) {
            const info = await read<{
              name: string;
              symbol: string;
              metadataURI: string;
              currency: Address;
              start: number;
              end: number;
              policy: number;
              royaltyBps: number;
              platformFeeBps: number;
              resaleCapBps: number;
              giftsPerHolder: number;
              cancelled: boolean;
            }>(event, "eventInfo");
            const mints = logs(event).flatMap((l) => (l.eventName === "Transfer" && l.args.from === ZERO ? [l] : []));
            for (const tokenId of mintedTokens(event)) {
              if ((await ownerOf(event, tokenId)) !== account.address) continue;
              const tierId = tokenId / TOKENS_PER_TIER;
              const tier = await read<{ name: string; price: bigint }>(event, "tier", [tierId]);
              const listing = await read<{ seller: Address; price: bigint }>(event, "listing", [tokenId]);
              const state = LISTING_STATES[await read<number>(event, "listingState", [tokenId])];
              const checkedIn = await read<boolean>(event, "isCheckedIn", [tokenId]);
              const checkInLog = logs(event).findLast((l) => l.eventName === "CheckedIn" && l.args.tokenId === tokenId);
              const listedLog = logs(event).findLast((l) => l.eventName === "Listed" && l.args.tokenId === tokenId);
              expected.push({
                id: ticketId(event, tokenId),
                tokenId: str(tokenId),
                ...(await placeOf(event, tokenId)),
                checkedIn,
                checkedInAt: checkedIn ? str(timeOf(checkInLog!)) : null,
                pricePaid: str(await read<bigint>(event, "pricePaid", [tokenId])),
                faceValue: str(await read<bigint>(event, "faceValue", [tokenId])),
                mintedAt: str(timeOf(mints.findLast((l) => l.args.tokenId === tokenId)!)),
                event: {
                  id: lower(event),
                  name: info.name,
                  symbol: info.symbol,
                  metadataURI: info.metadataURI,
                  start: str(info.start),
                  end: str(info.end),
                  currency: lower(info.currency),
                  policy: POLICIES[info.policy],
                  royaltyBps: info.royaltyBps,
                  platformFeeBps: info.platformFeeBps,
                  resaleCapBps: info.resaleCapBps,
                  giftsPerHolder: info.giftsPerHolder,
                  cancelled: info.cancelled,
                },
                tier: { id: tierEntityId(event, tierId), tierId: Number(tierId), name: tier.name, price: str(tier.price) },
                listing: listing.seller === ZERO ? null : { id: logId(listedLog!), price: str(listing.price), status: state, buyable: state === "Active" },
              });
            }
          }
          expected.sort((x, y) => (x.mintedAt === y.mintedAt ? (x.id < y.id ? 1 : -1) : BigInt(y.mintedAt) > BigInt(x.mintedAt) ? 1 : -1));
          expect(tickets).to.deep.equal(expected);
          expect(tickets.length).to.be.greaterThan(0);
          // `refunded`: the tickets refunded from (or returned by) this fan and not sold again since, the latest first.
          const refunds = [];
          const refundOf = (name: string) => name === "Refunded" || name === "TicketReturned" || name === "TicketExchanged";
          for (const event of [evA, evB])
            for (const log of logs(event).filter((l) => refundOf(l.eventName) && (l.args as { holder: Address }).holder === account.address)) {
              const tokenId = (log.args as { tokenId: bigint }).tokenId;
              if (await ownerOf(event, tokenId)) continue; // a released seat, sold again
              refunds.push({ id: ticketId(event, tokenId), refundedAt: str(timeOf(log)) });
            }
          refunds.sort((x, y) => (BigInt(y.refundedAt) > BigInt(x.refundedAt) ? 1 : -1));
          expect(refunded?.map((t) => ({ id: t.id, refundedAt: t.refundedAt }))).to.deep.equal(refunds);
        });
      }

      for (const which of ["A", "B"] as const) {
        it(`RESALE_LISTINGS: event ${which}'s listings whose listingState is Active, cheapest first`, async function () {
          const event = which === "A" ? evA : evB;
          const { listings } = await queryIndex<ResaleListings>(served.url, RESALE_LISTINGS, { event: lower(event) });
          const expected = [];
          for (const tokenId of mintedTokens(event)) {
            if ((await read<number>(event, "listingState", [tokenId])) !== 0) continue;
            const listing = await read<{ seller: Address; price: bigint }>(event, "listing", [tokenId]);
            const listed = logs(event).findLast((l) => l.eventName === "Listed" && l.args.tokenId === tokenId)!;
            const tierId = tokenId / TOKENS_PER_TIER;
            const tier = await read<{ name: string; price: bigint }>(event, "tier", [tierId]);
            expected.push({
              id: logId(listed),
              tokenId: str(tokenId),
              price: str(listing.price),
              createdAt: str(timeOf(listed)),
              seller: { id: lower(listing.seller) },
              tier: { id: tierEntityId(event, tierId), tierId: Number(tierId), name: tier.name, price: str(tier.price) },
              ticket: { id: ticketId(event, tokenId), ...(await placeOf(event, tokenId)) },
            });
          }
          expected.sort((x, y) => (x.price === y.price ? (x.id < y.id ? -1 : 1) : BigInt(x.price) < BigInt(y.price) ? -1 : 1));
          expect(listings).to.deep.equal(expected);
          expect(listings.length).to.equal(which === "A" ? 2 : 0);
        });
      }

      for (const which of ["A", "B"] as const) {
        it(`ORGANIZER_DASHBOARD: event ${which}'s revenue, inventory, sales, check-ins and returns (paged two at a time)`, async function () {
          const event = which === "A" ? evA : evB;
          const { event: dash } = await loadDashboard(served.url, lower(event), 2);
          const eventLogs = logs(event);
          const [royalties, platformFees] = await read<[bigint, bigint]>(event, "accruedRoyalties");
          const escrow = await read<bigint>(event, "escrowBalance");
          const terms = await read<{ royaltyBps: number; platformFeeBps: number }>(event, "eventInfo");
          const resales = eventLogs.flatMap((l) => (l.eventName === "ResaleSold" ? [l] : []));
          const money = revenue(dash!);
          expect(money.netPrimary).to.equal(escrow);
          expect(money.royalties).to.equal(royalties);
          expect(money.platformFees).to.equal(platformFees);
          expect(money.resaleVolume).to.equal(resales.reduce((s, l) => s + l.args.price, 0n));
          expect(dash).to.deep.include({ proceedsWithdrawn: "0", royaltiesWithdrawn: "0", ticketsResold: str(resales.length) });

          // Returns: every TicketReturned, in time order; what each refunded and kept adds up to the
          // price its ticket was bought for (its purchase's TicketsPurchased: total / quantity).
          const returned = eventLogs.flatMap((l) => (l.eventName === "TicketReturned" ? [l] : []));
          const returns = returned
            .map((l) => ({ id: logId(l), timestamp: str(timeOf(l)), amount: str(l.args.refunded), kept: str(l.args.kept), tier: { tierId: Number(l.args.tokenId / TOKENS_PER_TIER) } }))
            .sort(byTimeThenId((r) => BigInt(r.timestamp)));
          expect(dash!.returns).to.deep.equal(returns);
          for (const l of returned) {
            const mint = eventLogs.findLast((m) => m.eventName === "Transfer" && m.args.from === ZERO && m.args.tokenId === l.args.tokenId && m.blockNumber <= l.blockNumber)!;
            const purchase = eventLogs.find((p) => p.eventName === "TicketsPurchased" && p.transactionHash === mint.transactionHash)!.args as { quantity: bigint; totalPaid: bigint };
            expect(l.args.refunded + l.args.kept, `token ${l.args.tokenId}: refunded + kept`).to.equal(purchase.totalPaid / purchase.quantity);
          }
          expect(dash).to.deep.include({
            ticketsReturned: str(returned.length),
            ticketsExchanged: str(eventLogs.filter((l) => l.eventName === "TicketExchanged").length),
            returnsKept: str(returned.reduce((s, l) => s + l.args.kept, 0n)),
          });
          const daily = returnsOverTime(dash!.returns);
          expect(daily.reduce((n, b) => n + b.tickets, 0)).to.equal(returned.length).and.equal(which === "A" ? 2 : 0);
          expect(daily.reduce((n, b) => n + b.refunded, 0n)).to.equal(returned.reduce((s, l) => s + l.args.refunded, 0n));
          expect(daily.reduce((n, b) => n + b.kept, 0n)).to.equal(returned.reduce((s, l) => s + l.args.kept, 0n));

          // Inventory by tier: the contract's counters; refunds and revenue from the logs.
          for (const tier of dash!.tiers) {
            const onChain = await read<{ name: string; price: bigint; supply: number; sold: number }>(event, "tier", [BigInt(tier.tierId)]);
            const ofTier = (tokenId: bigint) => tokenId / TOKENS_PER_TIER === BigInt(tier.tierId);
            const checkedIn = (
              await Promise.all(
                mintedTokens(event)
                  .filter(ofTier)
                  .map((id) => read<boolean>(event, "isCheckedIn", [id])),
              )
            ).filter(Boolean).length;
            expect(tier).to.deep.include({
              name: onChain.name,
              price: str(onChain.price),
              supply: str(onChain.supply),
              sold: str(onChain.sold),
              checkedIn: str(checkedIn),
            });
            // Sales, and the difference paid by exchanges into the tier.
            expect(tier.revenue).to.equal(
              str(
                eventLogs.reduce((s, l) => s + (l.eventName === "TicketsPurchased" && l.args.tierId === BigInt(tier.tierId) ? l.args.totalPaid : 0n), 0n) +
                  eventLogs.reduce((s, l) => s + (l.eventName === "TicketExchanged" && ofTier(l.args.newTokenId) ? l.args.paid : 0n), 0n),
              ),
            );
          }

          // Sales over time: every TicketsPurchased and ResaleSold, in time order.
          const sales = eventLogs
            .flatMap((l) => {
              const voucher = eventLogs.find((v) => v.eventName === "VoucherRedeemed" && v.transactionHash === l.transactionHash);
              const discount = voucher ? str((voucher.args as { discount: bigint }).discount) : "0";
              if (l.eventName === "TicketsPurchased") {
                return [
                  {
                    id: logId(l),
                    kind: "Primary",
                    timestamp: str(timeOf(l)),
                    quantity: str(l.args.quantity),
                    amount: str(l.args.totalPaid),
                    royalty: "0",
                    fee: "0",
                    discount,
                    tier: { tierId: Number(l.args.tierId) },
                    channel: channelSaleAfter(eventLogs, l) ? { channelId: Number(channelSaleAfter(eventLogs, l)!.args.channelId) } : null,
                    memberLevel: memberLevelAt(event, l.args.buyer, l),
                  },
                ];
              }
              if (l.eventName === "ResaleSold") {
                return [
                  {
                    id: logId(l),
                    kind: "Resale",
                    timestamp: str(timeOf(l)),
                    quantity: "1",
                    amount: str(l.args.price),
                    // ResaleSold carries the price; the split follows from the event's terms.
                    royalty: str((l.args.price * BigInt(terms.royaltyBps)) / 10_000n),
                    fee: str((l.args.price * BigInt(terms.platformFeeBps)) / 10_000n),
                    discount: "0",
                    tier: { tierId: Number(l.args.tokenId / TOKENS_PER_TIER) },
                    channel: null,
                    memberLevel: null,
                  },
                ];
              }
              return [];
            })
            .sort(byTimeThenId((s) => BigInt(s.timestamp)));
          expect(dash!.sales).to.deep.equal(sales);
          expect(dash!.channels).to.deep.equal(
            eventLogs.flatMap((l) => (l.eventName === "ChannelAdded" ? [{ channelId: Number(l.args.channelId), label: l.args.label }] : [])),
          );
          expect(dash!.channels).to.have.length(which === "A" ? 2 : 0);
          const viaChannels = salesByChannel(dash!.sales).reduce((n, b) => n + [...b.tickets].reduce((m, [id, count]) => m + (id === 0 ? 0n : count), 0n), 0n);
          expect(viaChannels, "primary tickets sold through channels").to.equal(which === "A" ? 3n : 0n);
          const hourly = new Map<number, bigint>();
          for (const s of sales)
            if (s.kind === "Primary")
              hourly.set(Math.floor(Number(s.timestamp) / HOUR) * HOUR, (hourly.get(Math.floor(Number(s.timestamp) / HOUR) * HOUR) ?? 0n) + BigInt(s.amount));
          expect(new Map(salesOverTime(dash!.sales, HOUR).map((b) => [b.start, b.primaryAmount]))).to.deep.equal(hourly);

          // Check-ins per hour: every CheckedIn, at its block's time, marked undone by a later CheckInUndone.
          const checkIns = eventLogs
            .flatMap((l) =>
              l.eventName === "CheckedIn"
                ? [{ id: logId(l), checkedInAt: str(timeOf(l)), undone: undoneAfter(eventLogs, l) !== undefined, tier: { tierId: Number(l.args.tokenId / TOKENS_PER_TIER) } }]
                : [],
            )
            .sort(byTimeThenId((c) => BigInt(c.checkedInAt)));
          expect(dash!.checkIns).to.deep.equal(checkIns);
          expect(checkInsPerHour(dash!.checkIns).reduce((n, h) => n + h.count, 0), "admissions still standing").to.equal(which === "A" ? 3 : 0);
        });
      }

      for (const which of ["A", "B", "C"] as const) {
        it(`GATE_SNAPSHOT: event ${which}'s valid tickets page by page, as ownerOf, tier, seatLabel, entryWindow and isCheckedIn say`, async function () {
          const event = { A: evA, B: evB, C: evC }[which];
          const pages: GateSnapshotPage["tickets"][] = [];
          for (let after = "0x"; ; ) {
            const { tickets } = await queryIndex<GateSnapshotPage>(served.url, GATE_SNAPSHOT, { event: lower(event), after, first: 3 });
            pages.push(tickets);
            if (tickets.length < 3) break;
            after = tickets.at(-1)!.id;
          }
          const expected = [];
          for (const tokenId of [...mintedTokens(event)].sort((x, y) => (x < y ? -1 : 1))) {
            const owner = await ownerOf(event, tokenId);
            if (!owner) continue; // refunded: burned
            const tierId = BigInt(tierOfToken(tokenId));
            const checkedIn = await read<boolean>(event, "isCheckedIn", [tokenId]);
            const checkInLog = logs(event).findLast((l) => l.eventName === "CheckedIn" && l.args.tokenId === tokenId);
            expected.push({
              id: ticketId(event, tokenId),
              tokenId: str(tokenId),
              ...(await placeOf(event, tokenId)),
              checkedIn,
              checkedInAt: checkedIn ? str(timeOf(checkInLog!)) : null,
              owner: { id: lower(getAddress(owner)) },
              tier: { tierId: Number(tierId), name: (await read<{ name: string }>(event, "tier", [tierId])).name },
            });
          }
          expect(pages.flat()).to.deep.equal(expected);
          const whole = await queryIndex<GateSnapshotPage>(served.url, GATE_SNAPSHOT, { event: lower(event) });
          expect(whole.tickets).to.deep.equal(expected);
          expect(expected.length).to.equal({ A: 15, B: 1, C: 7 }[which]); // A: 2 more through its sales channels, 2 by members
        });
      }

      it("EVENT_CALENDARS: event C's calendar as CalendarAdded and CalendarDaysClosed set it, and every booked slot as slotInfo says", async function () {
        const { event } = await queryIndex<EventCalendars>(served.url, EVENT_CALENDARS, { event: lower(evC), from: "0", to: str(2n ** 40n) });
        const added = logs(evC).find((l) => l.eventName === "CalendarAdded")!.args as unknown as { calendarId: bigint; params: { firstDay: number; dayCount: number; utcOffsetMinutes: number; slotMinutes: number; saleLeadMinutes: number; capacity: number; runs: { startMinute: number; count: number; weekdays: number }[] } };
        const calendar = event!.calendars[0];
        const p = added.params;
        expect(event!.calendars.map((x) => [x.calendarId, x.tiers])).to.deep.equal([
          [1, [{ tierId: 1 }, { tierId: 2 }]],
          [3, [{ tierId: 3 }]],
        ]);
        expect({ ...calendar, slots: undefined }).to.deep.equal({
          id: `${lower(evC)}${int32le(Number(added.calendarId))}`,
          calendarId: Number(added.calendarId),
          firstDay: p.firstDay,
          dayCount: p.dayCount,
          utcOffsetMinutes: p.utcOffsetMinutes,
          slotMinutes: p.slotMinutes,
          saleLeadMinutes: p.saleLeadMinutes,
          capacity: p.capacity,
          runStartMinutes: p.runs.map((r) => r.startMinute),
          runCounts: p.runs.map((r) => r.count),
          runWeekdays: p.runs.map((r) => r.weekdays),
          closedDays: [5, 8],
          tiers: [{ tierId: 1 }, { tierId: 2 }],
          slots: undefined,
        });
        // Every slot of the season: offered as the rule says (closed days included), and booked as on chain.
        const rule = ruleOf(calendar);
        const expectedSlots = [];
        for (let slot = 1; slot <= slotCount(rule); slot++) {
          const info = await read<{ offered: boolean; start: number; end: number; booked: number; capacity: number }>(evC, "slotInfo", [1n, BigInt(slot)]);
          const mine = slotWindow(rule, slot);
          expect(info.offered, `slot ${slot}`).to.equal(mine !== undefined);
          if (mine) expect([info.start, info.end].map(Number), `slot ${slot}`).to.deep.equal([mine.start, mine.end]);
          // This calendar's tickets (tiers 1 and 2): the run's nights have slot numbers of their own.
          const inSlot = (tokenId: bigint) => slotOfToken(tokenId) === slot && tierOfToken(tokenId) <= 2;
          const sold = logs(evC).filter((l) => l.eventName === "Transfer" && l.args.from === ZERO && inSlot(l.args.tokenId)).length;
          if (sold === 0) continue;
          const checkedIn = logs(evC).filter((l) => l.eventName === "CheckedIn" && inSlot(l.args.tokenId)).length;
          const window = slotWindow(rule, slot, new Set())!;
          expectedSlots.push({ number: slot, day: window.day, start: str(window.start), end: str(window.end), booked: info.booked, sold, checkedIn });
        }
        expect(calendar.slots).to.deep.equal(expectedSlots);
        expect(expectedSlots.map((s) => [s.number, s.booked])).to.deep.equal([
          [6, 1],
          [7, 1],
          [9, 1],
          [10, 1],
        ]);
        // A month's window: only the slots starting in it.
        const second = await queryIndex<EventCalendars>(served.url, EVENT_CALENDARS, { event: lower(evC), from: expectedSlots[1].start, to: expectedSlots[3].start });
        expect(second.event!.calendars[0].slots.map((s) => s.number)).to.deep.equal([7, 9]);
        // The run: its nights with bookings, each as slotInfo says (seat 2 of night 2 returned).
        const run = event!.calendars[1];
        const nights = [];
        for (const night of run.slots) {
          const info = await read<{ start: number; end: number; booked: number }>(evC, "slotInfo", [3n, BigInt(night.number)]);
          nights.push([night.number, Number(night.start), Number(night.end), night.booked]);
          expect([night.start, night.end, night.booked], `night ${night.number}`).to.deep.equal([str(info.start), str(info.end), info.booked]);
        }
        expect(nights.map(([n, , , booked]) => [n, booked])).to.deep.equal([
          [2, 2],
          [3, 1],
        ]);
      });

      it("SLOT_SEATS_TAKEN: the run's seats taken in each night, and those held, as isSeatTaken and isSeatHeld say (a seat named slot x 1,000,000,000 + seat)", async function () {
        for (const night of [1, 2, 3]) {
          const slotId = `${lower(evC)}${int32le(3)}${int32le(night)}`;
          const { tickets, heldSeats } = await queryIndex<SlotSeatsTaken>(served.url, SLOT_SEATS_TAKEN, { tier: tierEntityId(evC, 3), slot: slotId });
          const taken = [];
          const held = [];
          for (let seat = 1; seat <= 10; seat++) {
            const key = BigInt(night) * 1_000_000_000n + BigInt(seat);
            if (await read<boolean>(evC, "isSeatTaken", [3n, key])) taken.push(seat);
            if (await read<boolean>(evC, "isSeatHeld", [3n, key])) held.push(seat);
          }
          expect(heldSeats.map((h) => h.serial), `night ${night}`).to.deep.equal(held);
          expect([...tickets, ...heldSeats].map((t) => t.serial).sort((a, b) => a - b), `night ${night}`).to.deep.equal(taken);
          expect(taken, `night ${night}`).to.deep.equal({ 1: [], 2: [1, 7], 3: [1, 5] }[night]);
        }
      });

      it("EXPLORE_EVENTS: the factory's events that are neither cancelled nor over, soonest first, with their tiers and cheapest buyable listing", async function () {
        const endsAfter = now();
        const { events } = await queryIndex<ExploreEvents>(served.url, EXPLORE_EVENTS, { endsAfter: str(endsAfter) });
        const factoryRead = <T>(functionName: string, args: unknown[] = []) =>
          chain.clients.publicClient.readContract({ address: platform.factory, abi: ticketFactoryAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
        const expected = [];
        for (let i = 0n; i < (await factoryRead<bigint>("eventCount")); i++) {
          const event = await factoryRead<Address>("eventAt", [i]);
          const info = await read<{ name: string; metadataURI: string; start: number; end: number; currency: Address; cancelled: boolean; tierCount: number }>(event, "eventInfo");
          if (info.cancelled || info.end <= endsAfter) continue;
          const tiers = [];
          // Every primary sale counts, refunded or not (tier.sold gives released places back).
          // Each exchange mints one ticket too.
          const sold = logs(event).reduce(
            (n, l) => (l.eventName === "TicketsPurchased" ? n + (l.args as { quantity: bigint }).quantity : l.eventName === "TicketExchanged" ? n + 1n : n),
            0n,
          );
          for (let tierId = 1; tierId <= Number(info.tierCount); tierId++) {
            const tier = await read<{ price: bigint; supply: number; sold: number; saleStart: number; saleEnd: number; paused: boolean }>(event, "tier", [BigInt(tierId)]);
            const opts = await read<{ earlyPrice: bigint; earlyUntil: number; presaleStart: number; presaleRoot: Hex }>(event, "tierOptions", [BigInt(tierId)]);
            tiers.push({
              tierId,
              price: str(tier.price),
              supply: str(tier.supply),
              sold: str(tier.sold),
              saleStart: str(tier.saleStart),
              saleEnd: str(tier.saleEnd),
              paused: tier.paused,
              earlyPrice: str(opts.earlyPrice),
              earlyUntil: str(opts.earlyUntil),
              presaleStart: str(opts.presaleStart),
              presaleRoot: BigInt(opts.presaleRoot) === 0n ? null : opts.presaleRoot,
            });
          }
          // The cheapest listing whose listingState is Active (the first by id among equal prices).
          const active = [];
          for (const tokenId of mintedTokens(event)) {
            if ((await read<number>(event, "listingState", [tokenId])) !== 0) continue;
            const listed = logs(event).findLast((l) => l.eventName === "Listed" && l.args.tokenId === tokenId)!;
            active.push({ id: logId(listed), price: (await read<{ price: bigint }>(event, "listing", [tokenId])).price });
          }
          active.sort((x, y) => (x.price === y.price ? (x.id < y.id ? -1 : 1) : x.price < y.price ? -1 : 1));
          const listings = active.slice(0, 1).map((l) => ({ price: str(l.price) }));
          expected.push({ id: lower(event), name: info.name, metadataURI: info.metadataURI, start: str(info.start), end: str(info.end), currency: lower(info.currency), ticketsSold: str(sold), tiers, listings });
        }
        expected.sort((x, y) => Number(x.start) - Number(y.start));
        expect(events).to.deep.equal(expected);
        // B is cancelled (the order of A and C, both soonest first above, depends on the time of day).
        expect(events.map((e) => e.id).sort()).to.deep.equal([lower(evA), lower(evC)].sort());
        expect(events.find((e) => e.id === lower(evA))!.listings, "A has a listing on the market").to.have.length(1);
      });

      const ROLE_NAMES = { organizer: "ORGANIZER_ROLE", gate: "GATE_ROLE", finance: "FINANCE_ROLE", voucherSigner: "VOUCHER_SIGNER_ROLE" } as const;
      const rolesOf = async (event: Address, account: Address) => {
        const flags: Record<string, boolean> = {};
        for (const [flag, constant] of Object.entries(ROLE_NAMES)) flags[flag] = await read<boolean>(event, "hasRole", [await read<Hex>(event, constant), account]);
        return flags as Record<keyof typeof ROLE_NAMES, boolean>;
      };

      for (const [who, holder] of [["fan 0", fans[0]], ["fan 2", fans[2]], ["visitor 0", visitors[0]]] as const) {
        it(`MY_REFUNDS: ${who}'s refunds, returns and exchanges, each of its kind, as the logs say`, async function () {
          const { refunds } = await queryIndex<MyRefunds>(served.url, MY_REFUNDS, { holder: lower(holder.address) });
          const expected = [];
          for (const event of [evA, evB, evC]) {
            const cancelled = (await read<{ cancelled: boolean }>(event, "eventInfo")).cancelled;
            for (const l of logs(event)) {
              const args = l.args as { tokenId?: bigint; holder?: Address };
              if (!args.holder || !isAddressEqual(args.holder, holder.address)) continue;
              const kind = { Refunded: cancelled ? "Claim" : "Organizer", TicketReturned: "Return", TicketExchanged: "Exchange" }[l.eventName as string];
              if (kind) expected.push({ id: logId(l), kind, ticket: { id: ticketId(event, args.tokenId!) } });
            }
          }
          const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
          expect([...refunds].sort(byId)).to.deep.equal(expected.sort(byId));
          expect(refunds.length, `${who} has some`).to.be.greaterThan(0);
        });
      }

      for (const [who, account] of [["the organizer", organizer], ["the gate staff", staff], ["fan 3", fans[3]]] as const) {
        it(`MY_ROLES: ${who}'s roles on each event, as hasRole says`, async function () {
          const { eventAccounts } = await queryIndex<MyRoles>(served.url, MY_ROLES, { account: lower(account.address) });
          for (const event of [evA, evB, evC]) {
            const roles = await rolesOf(event, account.address);
            const entry = eventAccounts.find((e) => e.event.id === lower(event));
            if (!Object.values(roles).some(Boolean)) {
              if (entry) expect({ ...entry, event: undefined }).to.include({ organizer: false, gate: false, finance: false, voucherSigner: false });
              continue;
            }
            const info = await read<{ name: string; start: number; end: number; cancelled: boolean }>(event, "eventInfo");
            const page = await queryIndex<EventPage>(served.url, EVENT_PAGE, { event: lower(event) });
            expect(entry).to.deep.equal({
              ...roles,
              event: {
                id: lower(event),
                name: info.name,
                metadataURI: page.event!.metadataURI,
                start: str(info.start),
                end: str(info.end),
                cancelled: info.cancelled,
                ticketsSold: page.event!.ticketsSold,
                ticketsCheckedIn: page.event!.ticketsCheckedIn,
              },
            });
          }
          if (account === organizer) expect(eventAccounts.filter((e) => e.organizer)).to.have.length(3);
          if (account === staff) expect(eventAccounts.filter((e) => e.gate).map((e) => e.event.id).sort()).to.deep.equal([lower(evA), lower(evC)].sort());
        });
      }

      for (const which of ["A", "B", "C"] as const) {
        it(`GATE_EVENT: event ${which}'s times, lead, tiers (entry windows, seat maps, calendars), GATE holders and deny list, as the views and logs say`, async function () {
          const event = { A: evA, B: evB, C: evC }[which];
          const { event: gate, _meta } = await queryIndex<GateEvent>(served.url, GATE_EVENT, { event: lower(event) });
          expect(_meta.block.hash).to.match(/^0x[0-9a-f]{64}$/);
          const info = await read<{ start: number; end: number; cancelled: boolean; checkInLeadHours: number; tierCount: number }>(event, "eventInfo");
          expect({ start: gate!.start, end: gate!.end, cancelled: gate!.cancelled, checkInLeadHours: gate!.checkInLeadHours }).to.deep.equal({
            start: str(info.start),
            end: str(info.end),
            cancelled: info.cancelled,
            checkInLeadHours: info.checkInLeadHours,
          });
          expect(gate!.tiers.map((t) => t.tierId)).to.deep.equal(Array.from({ length: info.tierCount }, (_, i) => i + 1));
          for (const tier of gate!.tiers) {
            const id = BigInt(tier.tierId);
            const opts = await read<{ entryStart: number; entryEnd: number }>(event, "tierOptions", [id]);
            const seatMap = await read<{ section: Hex; firstRow: number; rows: number; firstSeat: number; seatsPerRow: number; letteredRows: boolean }[]>(event, "seatMap", [id]);
            expect({ name: tier.name, entryStart: tier.entryStart, entryEnd: tier.entryEnd }).to.deep.equal({
              name: (await read<{ name: string }>(event, "tier", [id])).name,
              entryStart: str(opts.entryStart),
              entryEnd: str(opts.entryEnd),
            });
            // The index keeps a section's text; the contract its zero-padded bytes16.
            expect(tier.seatBlocks.map((b) => ({ ...b, section: stringToHex(b.section, { size: 16 }) }))).to.deep.equal(seatMap.map((b) => ({ ...b })));
            const added = logs(event).find((l) => l.eventName === "CalendarAdded" && (l.args as { tierIds: readonly bigint[] }).tierIds.includes(id));
            const rule = added && (added.args as { params: { firstDay: number; dayCount: number; utcOffsetMinutes: number; slotMinutes: number; saleLeadMinutes: number; capacity: number; runs: readonly { startMinute: number; count: number; weekdays: number }[] } }).params;
            expect(tier.calendar).to.deep.equal(
              rule
                ? {
                    firstDay: rule.firstDay,
                    dayCount: rule.dayCount,
                    utcOffsetMinutes: rule.utcOffsetMinutes,
                    slotMinutes: rule.slotMinutes,
                    saleLeadMinutes: rule.saleLeadMinutes,
                    capacity: rule.capacity,
                    runStartMinutes: rule.runs.map((r) => r.startMinute),
                    runCounts: rule.runs.map((r) => r.count),
                    runWeekdays: rule.runs.map((r) => r.weekdays),
                  }
                : null,
            );
          }
          const gateRole = await read<Hex>(event, "GATE_ROLE");
          const expected = [];
          for (const account of [organizer, staff, ...fans, ...visitors].map((a) => a.address)) {
            const flags = { gate: await read<boolean>(event, "hasRole", [gateRole, account]), denied: await read<boolean>(event, "isDenied", [account]) };
            if (flags.gate || flags.denied) expected.push({ account: lower(account), ...flags });
          }
          const listed = gate!.accounts.map((a) => ({ account: a.account.id, gate: a.gate, denied: a.denied }));
          const byAccount = (a: { account: string }, b: { account: string }) => (a.account < b.account ? -1 : 1);
          expect(listed.sort(byAccount)).to.deep.equal(expected.sort(byAccount));
          if (which === "C") expect(gate!.tiers.some((t) => t.calendar !== null) && gate!.tiers.some((t) => t.seatBlocks.length > 0)).to.equal(true);
        });
      }

      it("EVENT_PEOPLE: event A's staff and deny list, as hasRole and isDenied say", async function () {
        const { eventAccounts } = await queryIndex<EventPeople>(served.url, EVENT_PEOPLE, { event: lower(evA) });
        const everyone = [organizer, staff, ...fans].map((a) => a.address);
        for (const address of everyone) {
          const expected = { ...(await rolesOf(evA, address)), denied: await read<boolean>(evA, "isDenied", [address]) };
          const entry = eventAccounts.find((e) => e.account.id === lower(address));
          if (Object.values(expected).some(Boolean)) expect(entry).to.deep.equal({ account: { id: lower(address) }, ...expected });
          else if (entry) expect(entry).to.deep.equal({ account: { id: lower(address) }, ...expected });
        }
        expect(eventAccounts.filter((e) => e.denied).map((e) => e.account.id)).to.deep.equal([lower(fans[3].address)]);
        expect(eventAccounts.filter((e) => e.gate).map((e) => e.account.id)).to.deep.equal([lower(staff.address)]);
      });

      it("ORGANIZER_EXPORT: event A's sales with buyers and tokens, check-ins with holder and gate, and refunds and returns with their kind, as the logs say", async function () {
        const { event: exported } = await queryIndex<OrganizerExport>(served.url, ORGANIZER_EXPORT, { event: lower(evA) });
        const eventLogs = logs(evA);
        const tierOf = async (tokenId: bigint) => ({ tierId: Number(tokenId / TOKENS_PER_TIER), name: (await read<{ name: string }>(evA, "tier", [tokenId / TOKENS_PER_TIER])).name });
        const sales = [];
        const channelOf = (l: (typeof eventLogs)[number]) => {
          const sale = l.eventName === "TicketsPurchased" ? channelSaleAfter(eventLogs, l) : undefined;
          return sale ? { id: `${lower(evA)}${int32le(Number(sale.args.channelId))}` } : null;
        };
        for (const l of eventLogs) {
          if (l.eventName !== "TicketsPurchased" && l.eventName !== "ResaleSold") continue;
          const primary = l.eventName === "TicketsPurchased";
          const args = l.args as { buyer?: Address; tierId?: bigint; quantity?: bigint; totalPaid?: bigint; tokenId?: bigint; price?: bigint };
          const tokens = primary
            ? eventLogs.flatMap((t) => (t.eventName === "Transfer" && t.transactionHash === l.transactionHash && t.args.from === ZERO ? [t.args.tokenId] : []))
            : [args.tokenId!];
          // A resale's buyer is the Transfer just before ResaleSold.
          const buyer = primary ? args.buyer! : (eventLogs.findLast((t) => t.eventName === "Transfer" && t.transactionHash === l.transactionHash && t.args.tokenId === args.tokenId)!.args as { to: Address }).to;
          sales.push({
            id: logId(l),
            kind: primary ? "Primary" : "Resale",
            timestamp: str(timeOf(l)),
            quantity: primary ? str(args.quantity!) : "1",
            amount: str(primary ? args.totalPaid! : args.price!),
            buyer: { id: lower(buyer as Address) },
            tickets: tokens.map((tokenId) => ({ tokenId: str(tokenId) })),
            tier: await tierOf(tokens[0]),
            channel: channelOf(l),
            commission: str(primary ? ((channelSaleAfter(eventLogs, l)?.args as { commission?: bigint } | undefined)?.commission ?? 0n) : 0n),
            memberLevel: primary ? memberLevelAt(evA, args.buyer!, l) : null,
            pointsSpent: primary ? pointsSpentOn(evA, l) : "0",
          });
        }
        sales.sort(byTimeThenId((x) => BigInt(x.timestamp)));
        const checkIns = [];
        for (const l of eventLogs) {
          if (l.eventName !== "CheckedIn") continue;
          const args = l.args as { tokenId: bigint; holder: Address; gate: Address };
          const undo = undoneAfter(eventLogs, l);
          checkIns.push({
            id: logId(l),
            checkedInAt: str(timeOf(l)),
            tokenId: str(args.tokenId),
            gate: lower(args.gate),
            undone: undo !== undefined,
            undoneAt: undo ? str(timeOf(undo)) : null,
            undoneBy: undo ? lower((undo.args as { by: Address }).by) : null,
            holder: { id: lower(args.holder) },
            tier: await tierOf(args.tokenId),
          });
        }
        checkIns.sort(byTimeThenId((c) => BigInt(c.checkedInAt)));
        // Refunds: the organizer's (Refunded, released when InventoryReleased is in the same
        // transaction), the holders' returns (TicketReturned, always released) and the old tickets of
        // exchanges (TicketExchanged: refunded the share of a cheaper target's difference).
        const refunds = [];
        const cancelled = eventLogs.find((l) => l.eventName === "EventCancelled");
        /** What a token was bought for: its exchange's price, or its purchase's total / quantity. */
        const paidFor = (tokenId: bigint, before: bigint) => {
          const exchangedIn = eventLogs.findLast((e) => e.eventName === "TicketExchanged" && e.args.newTokenId === tokenId && e.blockNumber <= before);
          if (exchangedIn) return (exchangedIn.args as { price: bigint }).price;
          const mint = eventLogs.findLast((m) => m.eventName === "Transfer" && m.args.from === ZERO && m.args.tokenId === tokenId && m.blockNumber <= before)!;
          const purchase = eventLogs.find((p) => p.eventName === "TicketsPurchased" && p.transactionHash === mint.transactionHash)!.args as { quantity: bigint; totalPaid: bigint };
          return purchase.totalPaid / purchase.quantity;
        };
        for (const l of eventLogs) {
          if (l.eventName === "TicketExchanged") {
            const { tokenId, holder, price, refunded } = l.args as { tokenId: bigint; holder: Address; price: bigint; refunded: bigint };
            const oldPaid = paidFor(tokenId, l.blockNumber - 1n);
            refunds.push({
              id: logId(l),
              kind: "Exchange",
              timestamp: str(timeOf(l)),
              tokenId: str(tokenId),
              amount: str(refunded),
              kept: str(oldPaid > price ? oldPaid - price - refunded : 0n),
              released: true,
              holder: { id: lower(holder) },
              recipient: { id: lower(holder) },
              tier: await tierOf(tokenId),
            });
            continue;
          }
          if (l.eventName !== "Refunded" && l.eventName !== "TicketReturned") continue;
          const returned = l.eventName === "TicketReturned";
          const args = l.args as { tokenId: bigint; holder: Address; recipient?: Address; amount?: bigint; refunded?: bigint; kept?: bigint };
          const released = eventLogs.some((r) => r.eventName === "InventoryReleased" && r.transactionHash === l.transactionHash && r.args.tokenId === args.tokenId);
          refunds.push({
            id: logId(l),
            kind: returned ? "Return" : cancelled && cancelled.blockNumber <= l.blockNumber ? "Claim" : "Organizer",
            timestamp: str(timeOf(l)),
            tokenId: str(args.tokenId),
            amount: str(returned ? args.refunded! : args.amount!),
            kept: str(returned ? args.kept! : 0n),
            released: returned || released,
            holder: { id: lower(args.holder) },
            recipient: { id: lower(returned ? args.holder : args.recipient!) },
            tier: await tierOf(args.tokenId),
          });
        }
        refunds.sort(byTimeThenId((r) => BigInt(r.timestamp)));
        const channels = eventLogs.flatMap((l) =>
          l.eventName === "ChannelAdded" ? [{ id: `${lower(evA)}${int32le(Number(l.args.channelId))}`, channelId: Number(l.args.channelId), label: l.args.label }] : [],
        );
        expect(exported).to.deep.equal({ id: lower(evA), currency: ZERO, channels, sales, checkIns, refunds });
        expect(checkIns).to.have.length(4);
        expect(refunds.map((r) => [r.kind, r.released])).to.deep.equal([
          ["Organizer", true],
          ["Organizer", false],
          ["Return", true],
          ["Return", true],
          ["Exchange", true],
          ["Exchange", true],
          ["Organizer", false], // a place sold through the agency
          ["Exchange", true], // the other one, moved to the early slot
        ]);
      });

      it("PROGRAM_MEMBERS: each member's spent and level as the membership contract says, and points earned at the program's rate on purchases after joining", async function () {
        const readMembership = <T>(functionName: string, args: unknown[]) =>
          chain.clients.publicClient.readContract({ address: platform.membership, abi: chainpassMembershipAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
        const programLogs = parseEventLogs({ abi: chainpassMembershipAbi, logs: receipts.flatMap((r) => r.logs).filter((l) => isAddressEqual(l.address, platform.membership)) });
        const { members } = await queryIndex<ProgramMembers>(served.url, PROGRAM_MEMBERS, { program: lower(organizer.address), after: "0x", first: 100 });
        const joined = programLogs.filter((l) => l.eventName === "MemberJoined");
        expect(members.map((m) => m.account.id).sort()).to.deep.equal(joined.map((l) => lower((l.args as { member: Address }).member)).sort());
        const rate = programLogs.find((l) => l.eventName === "EarnRateSet")!.args as { unit: bigint; points: bigint };
        const after = (a: { blockNumber: bigint; logIndex: number }, b: { blockNumber: bigint; logIndex: number }) => a.blockNumber > b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex > b.logIndex);
        for (const member of members) {
          const address = getAddress(member.account.id);
          expect(member.spent, `${address} spent`).to.equal(str(await readMembership<bigint>("spent", [organizer.address, address])));
          expect(member.level, `${address} level`).to.equal(Number(await readMembership<bigint>("levelOf", [organizer.address, address])));
          const join = joined.find((l) => isAddressEqual((l.args as { member: Address }).member, address))!;
          const earned = logs(evA)
            .filter((l) => l.eventName === "TicketsPurchased" && isAddressEqual(l.args.buyer, address) && after(l, join))
            .reduce((sum, l) => {
              const { quantity, totalPaid } = l.args as { quantity: bigint; totalPaid: bigint };
              return sum + ((totalPaid / quantity) * rate.points) / rate.unit * quantity;
            }, 0n);
          expect(member.earned, `${address} earned`).to.equal(str(earned));
        }
        for (const event of [evA, evB]) {
          const { event: page } = await queryIndex<EventPage>(served.url, EVENT_PAGE, { event: lower(event) });
          const enrolled = await read<Address>(event, "membership");
          expect(page!.membershipProgram?.id ?? null).to.equal(isAddressEqual(enrolled, ZERO) ? null : lower(organizer.address));
        }
      });

      it("EVENT_CHANNELS: event A's sales channels as channel(id) says, with what each sold, lost and earned as the logs say", async function () {
        const { event } = await queryIndex<EventChannels>(served.url, EVENT_CHANNELS, { event: lower(evA) });
        const eventLogs = logs(evA);
        const count = await read<bigint>(evA, "channelCount");
        expect(event!.channels.map((c) => c.channelId)).to.deep.equal(Array.from({ length: Number(count) }, (_, i) => i + 1));
        /** What a ticket was bought for: its purchase's unit price, or the exchange that minted it. */
        const paidFor = (tokenId: bigint) => {
          const exchange = eventLogs.find((l) => l.eventName === "TicketExchanged" && l.args.newTokenId === tokenId);
          if (exchange) return (exchange.args as { price: bigint }).price;
          const mint = eventLogs.findLast((m) => m.eventName === "Transfer" && m.args.from === ZERO && m.args.tokenId === tokenId)!;
          const purchase = eventLogs.find((p) => p.eventName === "TicketsPurchased" && p.transactionHash === mint.transactionHash)!.args as { quantity: bigint; totalPaid: bigint };
          return purchase.totalPaid / purchase.quantity;
        };
        for (const channel of event!.channels) {
          const id = BigInt(channel.channelId);
          const onChain = await read<{ payout: Address; commissionBps: number; open: boolean; owed: bigint }>(evA, "channel", [id]);
          const of = <N extends string>(name: N) => eventLogs.filter((l) => l.eventName === name && (l.args as { channelId?: bigint }).channelId === id);
          const sold = of("ChannelSale") as Extract<(typeof eventLogs)[number], { eventName: "ChannelSale" }>[];
          const reversed = of("ChannelCommissionReversed") as Extract<(typeof eventLogs)[number], { eventName: "ChannelCommissionReversed" }>[];
          const soldFor = (l: (typeof sold)[number]) => {
            const purchase = eventLogs.find((p) => p.transactionHash === l.transactionHash && p.logIndex === l.logIndex - 1);
            return purchase?.eventName === "TicketsPurchased" ? purchase.args.totalPaid : paidFor(l.args.firstTokenId);
          };
          const added = of("ChannelAdded")[0] as Extract<(typeof eventLogs)[number], { eventName: "ChannelAdded" }>;
          expect(channel).to.deep.equal({
            id: `${lower(evA)}${int32le(channel.channelId)}`,
            channelId: channel.channelId,
            label: added.args.label,
            payout: lower(onChain.payout),
            commissionBps: Number(onChain.commissionBps),
            open: onChain.open,
            ticketsSold: str(sold.reduce((n, l) => n + l.args.quantity, 0n)),
            ticketsReversed: str(reversed.length),
            revenue: str(sold.reduce((s, l) => s + soldFor(l), 0n) - reversed.reduce((s, l) => s + paidFor(l.args.tokenId), 0n)),
            commissionEarned: str(sold.reduce((s, l) => s + l.args.commission, 0n)),
            commissionReversed: str(reversed.reduce((s, l) => s + l.args.commission, 0n)),
            commissionPaid: "0",
            commissionOwed: str(onChain.owed),
            createdAt: str(timeOf(added)),
          });
        }
        // The scenario: the agency sold 2 places and got one more by an exchange, lost 2; the influencer sold a seat.
        expect(event!.channels.map((c) => [c.ticketsSold, c.ticketsReversed, c.open])).to.deep.equal([
          ["3", "2", true],
          ["1", "0", false],
        ]);
      });

      it("ORGANIZER_EXPORT: event B's refunds are claims after its cancellation, paged one at a time", async function () {
        const claims = logs(evB).flatMap((l) => (l.eventName === "Refunded" ? [l] : []));
        const pages = [];
        for (let skip = 0; ; skip++) {
          const { event } = await queryIndex<OrganizerExport>(served.url, ORGANIZER_EXPORT, { event: lower(evB), first: 1, refundsSkip: skip });
          pages.push(...event!.refunds);
          if (event!.refunds.length < 1) break;
        }
        expect(pages.map((r) => ({ kind: r.kind, tokenId: r.tokenId, amount: r.amount, kept: r.kept, holder: r.holder.id, recipient: r.recipient.id }))).to.deep.equal(
          claims.map((l) => ({ kind: "Claim", tokenId: str(l.args.tokenId), amount: str(l.args.amount), kept: "0", holder: lower(l.args.holder), recipient: lower(l.args.recipient) })),
        );
        expect(pages).to.have.length(2);
      });
    });
  }

  it("the compiled subgraph (graph build's WASM) stores exactly what the local index stores, entity by entity, field by field", async function () {
    const differences = storeDifferences(localIndexStore(index.db), subgraphStore(runner));
    expect(differences, differences.slice(0, 40).join("\n")).to.deep.equal([]);
    // Not vacuous: the scenario filled the store.
    expect(runner.entities("Ticket").size).to.be.greaterThan(20);
  });
});
