// Issue 16, requirement 10: seeded random sequences over a membership program and two sales
// channels, on the chain and in the local index. Members (and a wallet that is not one) buy plainly,
// through a channel and with points (the test posts the balance root from the index first, as the
// points signer does), redeem points for vouchers, and try to spend points they no longer have;
// tickets are returned (80 % back), refunded by the organizer, checked in and un-checked; the
// organizer corrects balances up and down. Every few steps and at the end, for every member:
//   - nothing is negative: earned, given back, and what is left to spend (credited - spent);
//   - totals are the sum of their changes: earned of the earning kinds, givenBack of GivenBack,
//     spent of Spent and Redeemed, credited = earned + givenBack;
//   - spent is what the contract counts, and a point is never spent twice (an overspend with a
//     valid proof reverts NotEnoughPoints);
// and after settlement: what buyers paid, less what refunds and returns paid back, equals the
// organizer's proceeds plus the platform fee plus the channels' commissions, and each channel is
// paid its commission on exactly the tickets it sold that were not refunded or returned. The
// compiled subgraph then stores exactly what the local index stores.
import { expect } from "chai";
import { BaseError, ContractFunctionRevertedError, parseEventLogs, type Address, type Hex } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { queryIndex } from "../../lib/index/index.js";
import { buildBalanceTree, encodeMemberProof, type BalanceTree } from "../../lib/membership.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { rpc, startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { prng } from "../helpers/prng.js";
import { subgraphDifferences } from "../helpers/subgraph-store.js";
import { membershipReader, membershipWriter, startLocalChain, venueFixture } from "../helpers/server.js";

type Account = ReturnType<typeof localAccount>;

const PRICE = 10n ** 16n; // the venue's Standing tier (tier 1)
const ETH = "0x0000000000000000000000000000000000000000";
const POINT_VALUE = 10n ** 13n; // 1,000 points pay a Standing ticket
const CHANNEL_BPS = [0n, 1_000n, 450n] as const; // channel 1: 10 %, channel 2: 4.5 %
const RETURN_SHARE_BPS = 8_000n;
const VOUCHER_POINTS = 40n;
const EARNING_KINDS = new Set(["Purchase", "FirstPurchase", "Attendance", "Adjustment", "Reversal"]);

interface TicketModel {
  holder: Account;
  /** Cash paid for it (after points). */
  paid: bigint;
  channel: number;
  checkedIn: boolean;
}

interface MemberRow {
  id: Hex;
  account: { id: Hex };
  earned: string;
  givenBack: string;
  credited: string;
  spent: string;
  changes: { kind: string; points: string }[];
}

const MEMBERS_WITH_CHANGES = /* GraphQL */ `
  query MembersWithChanges($program: String!) {
    members(first: 100, where: { program: $program }) {
      id
      account {
        id
      }
      earned
      givenBack
      credited
      spent
      changes(first: 1000) {
        kind
        points
      }
    }
  }
`;

const scenarios = [
  { seed: 0x9017_0001, steps: 160 },
  { seed: 0x9017_0002, steps: 160 },
];

describe("Property: members' points and channel commissions over seeded random sequences", function () {
  this.timeout(300_000);

  for (const { seed, steps } of scenarios) {
    it(`keeps every balance non-negative, totals the sum of their changes, points spent once, and the money split exactly (seed ${seed.toString(16)}, ${steps} steps)`, async function () {
      const chain = await startLocalChain();
      let index: IndexerUnderTest | undefined;
      try {
        const rand = prng(seed);
        const { clients } = chain;
        const venue = await venueFixture(clients);
        const { organizer, writer, platform } = venue;
        const membershipAddress = platform.membership;
        const program = membershipWriter(clients, membershipAddress, organizer);
        const readMembership = membershipReader(clients, membershipAddress);
        const members = [venue.fans[0], venue.fans[1], localAccount(10)];
        const buyers = [...members, venue.fans[2]]; // fans[2] never joins
        const isMember = (a: Account) => members.includes(a);

        await program("createProgram", ["Property Club", organizer.address]);
        await program("setEarnRate", [ETH, PRICE, 10n]); // 10 points a Standing ticket's price
        await program("setRewards", [7n, 15n]);
        await program("setLevels", [[30n, 90n], ["Silver", "Gold"]]);
        await program("setPointValue", [ETH, POINT_VALUE]);
        await venue.write("setMembership", [membershipAddress]);
        await venue.write("setRefundPolicy", [[{ secondsBefore: 60, shareBps: Number(RETURN_SHARE_BPS) }], false]);
        await venue.write("addChannel", [localAccount(12).address, CHANNEL_BPS[1], "Agency"]);
        await venue.write("addChannel", [localAccount(13).address, CHANNEL_BPS[2], "Influencer"]);
        await program("addVoucherOffer", [{ eventAddress: venue.event, tierId: 1n, percentOffBps: 1_000, amountOff: 0n, validFor: 86_400, points: VOUCHER_POINTS, active: true }]);
        for (const m of members) await program("join", [organizer.address], m);

        index = await startIndexer(chain.rpcUrl, platform);
        const indexed = index;
        const tickets = new Map<bigint, TicketModel>();
        const counts: Record<string, number> = {};
        const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

        /** The index's members, with every change, after catching up with the chain. */
        async function ledger(): Promise<MemberRow[]> {
          await indexed.indexer.syncOnce();
          return (await queryIndex<{ members: MemberRow[] }>(indexed.url, MEMBERS_WITH_CHANGES, { program: organizer.address.toLowerCase() })).members;
        }

        /** Posts the index's balances as the root (the points signer's job); returns the tree. */
        async function postRoot(): Promise<BalanceTree> {
          const rows = await ledger();
          const tree = buildBalanceTree(rows.map((r) => ({ member: r.account.id as Address, credited: BigInt(r.credited) })))!;
          await program("postRoot", [organizer.address, tree.root, await clients.publicClient.getBlockNumber(), BigInt(rows.length)]);
          return tree;
        }

        async function checkLedger(when: string) {
          const rows = await ledger();
          expect(rows.length, when).to.equal(members.length);
          for (const row of rows) {
            const who = `${row.account.id} ${when}`;
            const [earned, givenBack, credited, spent] = [row.earned, row.givenBack, row.credited, row.spent].map(BigInt);
            const sum = (kinds: (kind: string) => boolean) => row.changes.filter((c) => kinds(c.kind)).reduce((n, c) => n + BigInt(c.points), 0n);
            expect(earned >= 0n, `${who}: earned ${earned}`).to.equal(true);
            expect(givenBack >= 0n, `${who}: given back ${givenBack}`).to.equal(true);
            expect(credited - spent >= 0n, `${who}: left to spend ${credited - spent}`).to.equal(true);
            expect(earned, `${who}: earned vs its changes`).to.equal(sum((k) => EARNING_KINDS.has(k)));
            expect(givenBack, `${who}: given back vs its changes`).to.equal(sum((k) => k === "GivenBack"));
            expect(spent, `${who}: spent vs its changes`).to.equal(sum((k) => k === "Spent" || k === "Redeemed"));
            expect(credited, `${who}: credited`).to.equal(earned + givenBack);
            expect(spent, `${who}: spent vs the contract`).to.equal(await readMembership<bigint>("spent", [organizer.address, row.account.id]));
          }
        }

        const available = async (a: Account) => {
          const row = (await ledger()).find((r) => r.account.id === a.address.toLowerCase())!;
          return BigInt(row.credited) - BigInt(row.spent);
        };

        /** The revert's custom error name of a call that must fail (event or membership errors). */
        async function revertOf(call: Promise<unknown>): Promise<string> {
          try {
            await call;
          } catch (error) {
            const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
            if (reverted instanceof ContractFunctionRevertedError) return reverted.data?.errorName ?? reverted.signature ?? "unknown";
            throw error;
          }
          throw new Error("the call did not revert");
        }
        const eventAndMembershipAbi = [...chainpassEventAbi, ...chainpassMembershipAbi.filter((item) => item.type === "error")];

        async function buy(buyer: Account) {
          const quantity = rand.int(1, 2);
          const channel = rand.int(0, 2);
          let perTicket = 0n;
          let member: Hex = "0x";
          if (isMember(buyer) && rand.chance(0.45)) {
            const tree = await postRoot();
            const leaf = tree.proofFor(buyer.address)!;
            const left = leaf.credited - (await readMembership<bigint>("spent", [organizer.address, buyer.address]));
            const most = left / BigInt(quantity) < PRICE / POINT_VALUE ? left / BigInt(quantity) : PRICE / POINT_VALUE;
            if (most > 0n) {
              perTicket = BigInt(rand.int(1, Number(most)));
              member = encodeMemberProof(leaf, perTicket);
              // The same proof can never spend more than is left: a point is not spent twice.
              const over = left / BigInt(quantity) + 1n;
              if (over * POINT_VALUE <= PRICE) {
                const cash = (PRICE - over * POINT_VALUE) * BigInt(quantity);
                const error = await revertOf(
                  clients.publicClient.simulateContract({
                    address: venue.event,
                    abi: eventAndMembershipAbi,
                    functionName: "buyWith",
                    args: [1n, BigInt(quantity), buyer.address, purchaseOptions({ member: encodeMemberProof(leaf, over), maxTotal: cash })],
                    account: buyer,
                    value: cash,
                  }),
                );
                expect(error).to.equal("NotEnoughPoints");
                count("overspend refused");
              }
            }
          }
          const unit = PRICE - perTicket * POINT_VALUE;
          const total = unit * BigInt(quantity);
          const receipt =
            perTicket === 0n && channel === 0
              ? await venue.write("buy", [1n, BigInt(quantity), buyer.address, total], buyer, total)
              : await venue.write("buyWith", [1n, BigInt(quantity), buyer.address, purchaseOptions({ member, channel: BigInt(channel), maxTotal: total })], buyer, total);
          expect(receipt.status).to.equal("success");
          const [sold] = parseEventLogs({ abi: chainpassEventAbi, logs: receipt.logs, eventName: "TicketsPurchased" });
          for (let i = 0n; i < BigInt(quantity); i++) tickets.set(sold.args.firstTokenId + i, { holder: buyer, paid: unit, channel, checkedIn: false });
          count(perTicket > 0n ? "buy with points" : channel > 0 ? "buy through a channel" : "buy");
        }

        const live = (checkedIn: boolean) => [...tickets].filter(([, t]) => t.checkedIn === checkedIn);

        for (let step = 0; step < steps; step++) {
          const roll = rand.int(1, 100);
          const unused = live(false);
          const used = live(true);
          if (roll <= 35 || unused.length === 0) {
            await buy(rand.pick(buyers));
          } else if (roll <= 50) {
            const [id, t] = rand.pick(unused);
            await venue.write("returnTicket", [id], t.holder);
            tickets.delete(id);
            count("return");
          } else if (roll <= 58) {
            const [id] = rand.pick(unused);
            await venue.write("refundTicket", [id, rand.chance(0.5)]);
            tickets.delete(id);
            count("refund");
          } else if (roll <= 70) {
            const [id, t] = rand.pick(unused);
            await venue.write("checkIn", [[id]], writer);
            t.checkedIn = true;
            count("check-in");
          } else if (roll <= 76 && used.length > 0) {
            const [id, t] = rand.pick(used);
            await venue.write("undoCheckIn", [[id]]);
            t.checkedIn = false;
            count("check-in undone");
          } else if (roll <= 88) {
            const delta = BigInt(rand.chance(0.5) ? rand.int(1, 60) : -rand.int(1, 200));
            await program("adjustPoints", [rand.pick(members).address, delta, `Correction at step ${step}`]);
            count(delta > 0n ? "correction up" : "correction down");
          } else {
            const member = rand.pick(members);
            if ((await available(member)) < VOUCHER_POINTS) {
              await buy(member);
              continue;
            }
            const leaf = (await postRoot()).proofFor(member.address)!;
            await program("redeemPoints", [organizer.address, 0n, leaf.credited, leaf.proof], member);
            count("voucher redeemed");
          }
          if (step % 10 === 9) await checkLedger(`after step ${step}`);
        }
        await checkLedger("at the end of the sequence");

        // Settlement: past the event's end and the settlement delay, the organizer withdraws.
        const readEvent = <T>(functionName: string, args: unknown[] = []) =>
          clients.publicClient.readContract({ address: venue.event, abi: chainpassEventAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
        const owedBefore = await Promise.all([1n, 2n].map(async (id) => (await readEvent<{ owed: bigint }>("channel", [id])).owed));
        const info = await readEvent<{ end: bigint; settlementDelay: bigint }>("eventInfo");
        const block = await clients.publicClient.getBlock();
        await rpc(chain.rpcUrl, "evm_increaseTime", [Number(BigInt(info.end) + BigInt(info.settlementDelay) - block.timestamp) + 60]);
        await rpc(chain.rpcUrl, "evm_mine");
        await venue.write("withdraw", []);

        const logs = parseEventLogs({ abi: chainpassEventAbi, logs: await clients.publicClient.getLogs({ address: venue.event, fromBlock: platform.factoryBlock }) });
        const total = (name: string, field: string) => logs.filter((l) => l.eventName === name).reduce((n, l) => n + ((l.args as Record<string, bigint>)[field] ?? 0n), 0n);
        const paidIn = total("TicketsPurchased", "totalPaid");
        const paidBack = total("Refunded", "amount") + total("TicketReturned", "refunded");
        const [withdrawn] = logs.filter((l) => l.eventName === "ProceedsWithdrawn").map((l) => l.args as { amount: bigint; platformFee: bigint });
        const commissions = total("ChannelCommissionPaid", "commission");
        expect(paidIn - paidBack, "buyers' money = proceeds + fee + commissions").to.equal(withdrawn.amount + withdrawn.platformFee + commissions);
        // What stays: the platform's fee (until withdrawPlatformFees) and the channels' commissions
        // credited to their payouts (until withdrawCredits).
        expect(await clients.publicClient.getBalance({ address: venue.event }), "what the event still holds").to.equal(withdrawn.platformFee + commissions);

        // Each channel: its commission on exactly its live tickets, credited to its payout.
        for (const id of [1, 2]) {
          const expected = [...tickets.values()].filter((t) => t.channel === id).reduce((n, t) => n + (t.paid * CHANNEL_BPS[id]) / 10_000n, 0n);
          expect(owedBefore[id - 1], `channel ${id} owed before settlement`).to.equal(expected);
          const paid = logs.filter((l) => l.eventName === "ChannelCommissionPaid" && (l.args as { channelId: bigint }).channelId === BigInt(id)).reduce((n, l) => n + (l.args as { commission: bigint }).commission, 0n);
          expect(paid, `channel ${id} paid at settlement`).to.equal(expected);
        }

        await checkLedger("after settlement");
        expect(await subgraphDifferences(indexed.db, clients, platform.factoryBlock)).to.deep.equal([]);
        // The sequence did exercise what the properties are about.
        for (const what of ["buy with points", "buy through a channel", "return", "refund", "check-in", "correction down", "overspend refused"]) {
          expect(counts[what] ?? 0, `${what} happened in the sequence (${JSON.stringify(counts)})`).to.be.greaterThan(0);
        }
      } finally {
        await index?.close();
        await chain.rpc.close();
      }
    });
  }
});
