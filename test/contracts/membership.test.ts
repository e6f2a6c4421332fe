// Issue 16, requirements 1-3 on chain: an organizer's membership program (ChainpassMembership),
// members joining, rules and levels published, corrections only through an event that says so,
// balance roots and members' levels posted by the points signer, level perks enforced at purchase
// (members-only tiers, a level discount, a higher per-wallet limit) and points paying part or all
// of a price, each point spent once.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";

import { buildBalanceTree, encodeMemberProof, type BalanceTree } from "../../lib/membership.js";
import { DAY, ZERO, createEvent, deployPlatform, eventInput, purchaseOptions, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
/** A point pays 0.001 ETH. */
const POINT_VALUE = 10n ** 15n;
const NO_PERKS = { membersOnly: false, minLevel: 0, perkLevel: 0, discountBps: 0, extraPerWallet: 0 };

async function membershipFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, signer, stranger, otherOrganizer] = await ethers.getSigners();
  const membership = await ethers.getContractAt("ChainpassMembership", platform.addresses.ChainpassMembership);
  const input = await eventInput(ethers);
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [
    tierInput(input, { name: "Adult", price: PRICE, maxPerWallet: 2 }),
    tierInput(input, { name: "Members' presale", price: PRICE }),
  ]);
  await membership.connect(organizer).createProgram("Friends of the Hall", signer.address);
  await membership.connect(organizer).setPointValue(ZERO, POINT_VALUE);
  await ticket.connect(organizer).setMembership(await membership.getAddress());
  await membership.connect(fan).join(organizer.address);
  await membership.connect(friend).join(organizer.address);
  return { ...platform, membership, ticket, input, organizer, fan, friend, signer, stranger, otherOrganizer };
}

type Fixture = Awaited<ReturnType<typeof membershipFixture>>;

/** Posts a root of these balances and sets these levels (as the points signer would, computed at the last block). */
async function postBalances(f: Fixture, balances: { member: string; credited: bigint; level: number }[]): Promise<BalanceTree> {
  const tree = buildBalanceTree(balances.map((b) => ({ member: b.member as Hex, credited: b.credited })))!;
  const asOf = BigInt(await ethers.provider.getBlockNumber());
  await f.membership.connect(f.signer).postRoot(f.organizer.address, tree.root, asOf, tree.size);
  await f.membership.connect(f.signer).setMemberLevels(f.organizer.address, balances.map((b) => b.member), balances.map((b) => b.level));
  return tree;
}

const proofOf = (tree: BalanceTree, member: string, pointsPerTicket: bigint) => encodeMemberProof(tree.proofFor(member as Hex)!, pointsPerTicket);

describe("Membership programs", function () {
  describe("the program", function () {
    it("is one per organizer, and publishes its rules, levels and point value as events", async function () {
      const { membership, organizer, signer } = await networkHelpers.loadFixture(membershipFixture);
      await expect(membership.connect(organizer).createProgram("Again", signer.address))
        .to.be.revertedWithCustomError(membership, "ProgramExists")
        .withArgs(organizer.address);
      await expect(membership.connect(organizer).setEarnRate(ZERO, 10n ** 18n, 100))
        .to.emit(membership, "EarnRateSet")
        .withArgs(organizer.address, ZERO, 10n ** 18n, 100n);
      await expect(membership.connect(organizer).setEarnRate(ZERO, 0, 100)).to.be.revertedWithCustomError(membership, "InvalidEarnRate");
      await expect(membership.connect(organizer).setRewards(25, 50)).to.emit(membership, "RewardsSet").withArgs(organizer.address, 25n, 50n);
      await expect(membership.connect(organizer).setLevels([100, 500], ["Silver", "Gold"]))
        .to.emit(membership, "LevelsSet")
        .withArgs(organizer.address, [100n, 500n], ["Silver", "Gold"]);
      for (const [thresholds, names] of [
        [[], []],
        [[500, 100], ["Silver", "Gold"]],
        [[0, 100], ["Bronze", "Silver"]],
        [[100, 500], ["Silver"]],
        [[100], [""]],
        [[1, 2, 3, 4, 5, 6, 7, 8, 9], ["a", "b", "c", "d", "e", "f", "g", "h", "i"]],
      ] as [number[], string[]][]) {
        await expect(membership.connect(organizer).setLevels(thresholds, names), JSON.stringify(thresholds)).to.be.revertedWithCustomError(membership, "InvalidLevels");
      }
      expect(await membership.pointValue(organizer.address, ZERO)).to.equal(POINT_VALUE);
      const info = await membership.program(organizer.address);
      expect([info.exists, info.pointsSigner, info.root]).to.deep.equal([true, signer.address, ethers.ZeroHash]);
    });

    it("is changed only by its organizer", async function () {
      const { membership, stranger } = await networkHelpers.loadFixture(membershipFixture);
      for (const call of [
        membership.connect(stranger).setEarnRate(ZERO, 1, 1),
        membership.connect(stranger).setRewards(1, 1),
        membership.connect(stranger).setLevels([1], ["a"]),
        membership.connect(stranger).setPointValue(ZERO, 1),
        membership.connect(stranger).setPointsSigner(stranger.address),
        membership.connect(stranger).adjustPoints(stranger.address, 1, "x"),
      ]) {
        await expect(call).to.be.revertedWithCustomError(membership, "UnknownProgram").withArgs(stranger.address);
      }
    });

    it("lets a wallet join once, with nothing but its address", async function () {
      const { membership, organizer, fan, stranger, otherOrganizer } = await networkHelpers.loadFixture(membershipFixture);
      expect(await membership.isMember(organizer.address, fan.address)).to.equal(true);
      expect(await membership.isMember(organizer.address, stranger.address)).to.equal(false);
      await expect(membership.connect(stranger).join(organizer.address)).to.emit(membership, "MemberJoined").withArgs(organizer.address, stranger.address);
      await expect(membership.connect(fan).join(organizer.address))
        .to.be.revertedWithCustomError(membership, "AlreadyMember")
        .withArgs(organizer.address, fan.address);
      await expect(membership.connect(fan).join(otherOrganizer.address))
        .to.be.revertedWithCustomError(membership, "UnknownProgram")
        .withArgs(otherOrganizer.address);
    });

    it("corrects a member's balance only through an event that gives the reason", async function () {
      const { membership, organizer, fan, stranger } = await networkHelpers.loadFixture(membershipFixture);
      await expect(membership.connect(organizer).adjustPoints(fan.address, -40, "Duplicate purchase credit"))
        .to.emit(membership, "PointsAdjusted")
        .withArgs(organizer.address, fan.address, -40n, "Duplicate purchase credit");
      await expect(membership.connect(organizer).adjustPoints(stranger.address, 5, "x")).to.be.revertedWithCustomError(membership, "NotAMember");
      await expect(membership.connect(organizer).adjustPoints(fan.address, 0, "x")).to.be.revertedWithCustomError(membership, "ZeroAdjustment");
      await expect(membership.connect(organizer).adjustPoints(fan.address, 5, "")).to.be.revertedWithCustomError(membership, "EmptyReason");
    });

    it("takes roots from the points signer or the organizer, each computed at a later block", async function () {
      const f = await networkHelpers.loadFixture(membershipFixture);
      const { membership, organizer, signer, stranger } = f;
      const tree = buildBalanceTree([{ member: f.fan.address as Hex, credited: 10n }])!;
      const asOf = BigInt(await ethers.provider.getBlockNumber());
      await expect(membership.connect(stranger).postRoot(organizer.address, tree.root, asOf, 1))
        .to.be.revertedWithCustomError(membership, "NotPointsSigner")
        .withArgs(organizer.address, stranger.address);
      await expect(membership.connect(signer).postRoot(organizer.address, tree.root, asOf + 5n, 1)).to.be.revertedWithCustomError(membership, "StaleRoot");
      await expect(membership.connect(signer).postRoot(organizer.address, tree.root, asOf, 1)).to.emit(membership, "RootPosted").withArgs(organizer.address, tree.root, asOf, 1n);
      await expect(membership.connect(organizer).postRoot(organizer.address, tree.root, asOf, 1))
        .to.be.revertedWithCustomError(membership, "StaleRoot")
        .withArgs(asOf, asOf);
      await membership.connect(organizer).postRoot(organizer.address, tree.root, asOf + 1n, 1);
      await expect(membership.connect(organizer).setPointsSigner(stranger.address)).to.emit(membership, "PointsSignerChanged").withArgs(organizer.address, stranger.address);
      await expect(membership.connect(signer).postRoot(organizer.address, tree.root, asOf + 2n, 1)).to.be.revertedWithCustomError(membership, "NotPointsSigner");
    });

    it("sets members' levels from the points signer, for members only, up to the highest level", async function () {
      const { membership, organizer, fan, friend, signer, stranger } = await networkHelpers.loadFixture(membershipFixture);
      await expect(membership.connect(signer).setMemberLevels(organizer.address, [fan.address, friend.address], [2, 1]))
        .to.emit(membership, "MemberLevelSet")
        .withArgs(organizer.address, fan.address, 2n)
        .and.to.emit(membership, "MemberLevelSet")
        .withArgs(organizer.address, friend.address, 1n);
      expect(await membership.levelOf(organizer.address, fan.address)).to.equal(2n);
      await membership.connect(organizer).setMemberLevels(organizer.address, [fan.address], [0]);
      expect(await membership.levelOf(organizer.address, fan.address)).to.equal(0n);
      await expect(membership.connect(stranger).setMemberLevels(organizer.address, [fan.address], [1])).to.be.revertedWithCustomError(membership, "NotPointsSigner");
      await expect(membership.connect(signer).setMemberLevels(organizer.address, [stranger.address], [1]))
        .to.be.revertedWithCustomError(membership, "NotAMember")
        .withArgs(organizer.address, stranger.address);
      await expect(membership.connect(signer).setMemberLevels(organizer.address, [fan.address], [9]))
        .to.be.revertedWithCustomError(membership, "InvalidLevel")
        .withArgs(fan.address, 9n);
      await expect(membership.connect(signer).setMemberLevels(organizer.address, [fan.address], [1, 2]))
        .to.be.revertedWithCustomError(membership, "LengthMismatch")
        .withArgs(1n, 2n);
      // Spending leaves the level alone, and a level change leaves the spent count alone.
      expect(await membership.spent(organizer.address, fan.address)).to.equal(0n);
    });
  });

  describe("events in the program", function () {
    it("enroll only through a Chainpass event, by its organizer, in their own program", async function () {
      const { membership, ticket, organizer, stranger, otherOrganizer } = await networkHelpers.loadFixture(membershipFixture);
      const ticketAddress = await ticket.getAddress();
      expect(await membership.programOf(ticketAddress)).to.equal(organizer.address);
      expect(await ticket.membership()).to.equal(await membership.getAddress());
      // A wallet or any other contract cannot file itself under a program (and so spend points).
      await expect(membership.connect(stranger).enroll(organizer.address))
        .to.be.revertedWithCustomError(membership, "NotAnEvent")
        .withArgs(stranger.address);
      await expect(ticket.connect(stranger).setMembership(await membership.getAddress())).to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount");
      // An organizer of the event without a program of their own cannot enroll it.
      await ticket.connect(organizer).grantRole(await ticket.ORGANIZER_ROLE(), otherOrganizer.address);
      await expect(ticket.connect(otherOrganizer).setMembership(await membership.getAddress()))
        .to.be.revertedWithCustomError(membership, "UnknownProgram")
        .withArgs(otherOrganizer.address);
      await expect(ticket.connect(organizer).setMembership(await membership.getAddress()))
        .to.emit(membership, "EventEnrolled")
        .withArgs(organizer.address, ticketAddress)
        .and.to.emit(ticket, "MembershipSet");
    });

    it("set tier perks only with a program, within bounds", async function () {
      const f = await networkHelpers.loadFixture(membershipFixture);
      const { ticket, organizer, stranger, factory, input } = f;
      const perks = { membersOnly: true, minLevel: 1, perkLevel: 2, discountBps: 1_000, extraPerWallet: 2 };
      await expect(ticket.connect(organizer).setTierPerks(2, perks))
        .to.emit(ticket, "TierPerksSet")
        .withArgs(2n, true, 1n, 2n, 1_000n, 2n);
      const read = await ticket.tierPerks(2);
      expect([read.membersOnly, read.minLevel, read.perkLevel, read.discountBps, read.extraPerWallet]).to.deep.equal([true, 1n, 2n, 1_000n, 2n]);
      await expect(ticket.connect(stranger).setTierPerks(2, perks)).to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount");
      for (const bad of [
        { ...perks, discountBps: 10_001 },
        { ...perks, minLevel: 9 },
        { ...perks, perkLevel: 9 },
        { ...perks, membersOnly: false },
      ]) {
        await expect(ticket.connect(organizer).setTierPerks(2, bad), JSON.stringify(bad)).to.be.revertedWithCustomError(ticket, "InvalidTierPerks").withArgs(2n);
      }
      await expect(ticket.connect(organizer).setTierPerks(9, perks)).to.be.revertedWithCustomError(ticket, "UnknownTier");
      const outside = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
      await expect(outside.connect(organizer).setTierPerks(1, perks)).to.be.revertedWithCustomError(outside, "NoMembershipProgram");
      await expect(outside.connect(f.fan).buyWith(1, 1, f.fan.address, purchaseOptions({ member: "0x01" }), { value: PRICE })).to.be.revertedWithCustomError(outside, "NoMembershipProgram");
    });
  });

  describe("level perks at purchase", function () {
    async function perksFixture() {
      const f = await membershipFixture();
      // Tier 2: Silver (level 1) and above only; Gold (level 2) 10% off and 1 more per wallet.
      await f.ticket.connect(f.organizer).setTierPerks(2, { membersOnly: true, minLevel: 1, perkLevel: 2, discountBps: 1_000, extraPerWallet: 1 });
      // Tier 1 (2 per wallet): Gold 10% off and 1 more per wallet, for everyone else the plain terms.
      await f.ticket.connect(f.organizer).setTierPerks(1, { membersOnly: false, minLevel: 0, perkLevel: 2, discountBps: 1_000, extraPerWallet: 1 });
      const tree = await postBalances(f, [
        { member: f.fan.address, credited: 600n, level: 2 },
        { member: f.friend.address, credited: 20n, level: 0 },
      ]);
      return { ...f, tree };
    }

    it("keeps a members-only tier from everyone else, and from members below its level", async function () {
      const { ticket, membership, fan, friend, stranger } = await networkHelpers.loadFixture(perksFixture);
      await expect(ticket.connect(stranger).buy(2, 1, stranger.address, PRICE, { value: PRICE })).to.be.revertedWithCustomError(ticket, "MembersOnly").withArgs(2n);
      await expect(ticket.connect(stranger).buyThrough(2, 1, stranger.address, PRICE, 0, { value: PRICE })).to.be.revertedWithCustomError(ticket, "MembersOnly");
      await expect(ticket.connect(stranger).buyWith(2, 1, stranger.address, purchaseOptions(), { value: PRICE })).to.be.revertedWithCustomError(membership, "NotAMember");
      await expect(ticket.connect(friend).buyWith(2, 1, friend.address, purchaseOptions(), { value: PRICE }))
        .to.be.revertedWithCustomError(membership, "LevelTooLow")
        .withArgs(friend.address, 0n, 1n);
      const gold = (PRICE * 9n) / 10n;
      // The level is read on chain: a perk needs no proof.
      await expect(ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions(), { value: gold }))
        .to.emit(ticket, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 2n, tokenIdOf(2, 1), 1n, gold);
    });

    it("refuses a proof of a balance the member does not have, or of someone else's", async function () {
      const { ticket, membership, organizer, fan, friend, tree } = await networkHelpers.loadFixture(perksFixture);
      const leaf = tree.proofFor(fan.address as Hex)!;
      for (const forged of [{ ...leaf, credited: 10_000n }, { ...leaf, proof: leaf.proof.slice(1) }]) {
        await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ member: encodeMemberProof(forged, 10n) }), { value: PRICE }))
          .to.be.revertedWithCustomError(membership, "InvalidMemberProof")
          .withArgs(organizer.address, fan.address);
      }
      await expect(ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions({ member: proofOf(tree, fan.address, 10n) }), { value: PRICE }))
        .to.be.revertedWithCustomError(membership, "InvalidMemberProof")
        .withArgs(organizer.address, friend.address);
    });

    it("gives the level discount and the higher per-wallet limit, and plain terms below the level", async function () {
      const f = await networkHelpers.loadFixture(perksFixture);
      const { ticket, fan, friend, stranger } = f;
      const gold = (PRICE * 9n) / 10n;
      await ticket.connect(fan).buyWith(1, 3, fan.address, purchaseOptions({ maxTotal: 3n * gold }), { value: 3n * gold });
      expect((await ticket.ticketInfo(tokenIdOf(1, 3))).pricePaid).to.equal(gold);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions(), { value: gold }))
        .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
        .withArgs(1n, fan.address, 1n, 0n);
      // Below the perk's level, and for a wallet that is not a member: the tier's own price and limit.
      await expect(ticket.connect(friend).buyWith(1, 3, friend.address, purchaseOptions(), { value: 3n * PRICE })).to.be.revertedWithCustomError(ticket, "WalletLimitExceeded");
      await ticket.connect(friend).buyWith(1, 2, friend.address, purchaseOptions(), { value: 2n * PRICE });
      await ticket.connect(stranger).buyWith(1, 2, stranger.address, purchaseOptions(), { value: 2n * PRICE });
      expect((await ticket.ticketInfo(tokenIdOf(1, 5))).pricePaid).to.equal(PRICE);
      expect((await ticket.ticketInfo(tokenIdOf(1, 7))).pricePaid).to.equal(PRICE);
      // A level the signer lowers takes the perks away at once: the full price, and 2 a wallet.
      await f.membership.connect(f.signer).setMemberLevels(f.organizer.address, [friend.address], [2]);
      await ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions(), { value: gold });
      await f.membership.connect(f.signer).setMemberLevels(f.organizer.address, [friend.address], [1]);
      await expect(ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions(), { value: gold }))
        .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
        .withArgs(1n, friend.address, 1n, 0n);
    });

    it("accepts the previous root's proof until a newer root replaces it", async function () {
      const f = await networkHelpers.loadFixture(perksFixture);
      const { ticket, membership, fan, tree } = f;
      const old = proofOf(tree, fan.address, 10n);
      await postBalances(f, [{ member: fan.address, credited: 700n, level: 2 }]);
      const paid = (PRICE * 9n) / 10n - 10n * POINT_VALUE;
      await ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ member: old }), { value: paid });
      await postBalances(f, [{ member: fan.address, credited: 800n, level: 2 }]);
      await expect(ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ member: old }), { value: paid })).to.be.revertedWithCustomError(membership, "InvalidMemberProof");
    });

    it("costs a plain tier's buyers nothing: no perks read, the same price", async function () {
      const { ticket, organizer, stranger } = await networkHelpers.loadFixture(perksFixture);
      await ticket.connect(organizer).setTierPerks(1, NO_PERKS);
      expect((await ticket.tier(1)).price).to.equal(PRICE);
      await expect(ticket.connect(stranger).buy(1, 1, stranger.address, PRICE, { value: PRICE })).to.emit(ticket, "TicketsPurchased");
    });
  });

  describe("paying with points", function () {
    async function pointsFixture() {
      const f = await membershipFixture();
      const tree = await postBalances(f, [
        { member: f.fan.address, credited: 150n, level: 1 },
        { member: f.friend.address, credited: 30n, level: 0 },
      ]);
      return { ...f, tree };
    }

    it("pays part of the price with points, counts them spent, and emits what they paid", async function () {
      const { ticket, membership, organizer, fan, tree } = await networkHelpers.loadFixture(pointsFixture);
      const value = 40n * POINT_VALUE;
      const cash = PRICE - value;
      await expect(ticket.connect(fan).buyWith(1, 2, fan.address, purchaseOptions({ member: proofOf(tree, fan.address, 40n), maxTotal: 2n * cash }), { value: 2n * cash }))
        .to.emit(membership, "PointsSpent")
        .withArgs(organizer.address, fan.address, await ticket.getAddress(), 40n, 2n, 2n * value)
        .and.to.emit(ticket, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 2n, 2n * cash);
      expect(await membership.spent(organizer.address, fan.address)).to.equal(80n);
      expect((await ticket.ticketInfo(tokenIdOf(1, 1))).pricePaid).to.equal(cash);
    });

    it("never spends a point twice: the same proof buys only what is left", async function () {
      const { ticket, membership, fan, tree } = await networkHelpers.loadFixture(pointsFixture);
      const proof = proofOf(tree, fan.address, 100n);
      await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ member: proof }), { value: PRICE - 100n * POINT_VALUE });
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ member: proof }), { value: PRICE - 100n * POINT_VALUE }))
        .to.be.revertedWithCustomError(membership, "NotEnoughPoints")
        .withArgs(fan.address, 50n, 100n);
      await ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ member: proofOf(tree, fan.address, 50n) }), { value: PRICE - 50n * POINT_VALUE });
      await expect(ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ member: proofOf(tree, fan.address, 1n) }), { value: PRICE }))
        .to.be.revertedWithCustomError(membership, "NotEnoughPoints")
        .withArgs(fan.address, 0n, 1n);
    });

    it("pays a whole ticket with points, never more than its price", async function () {
      const { ticket, membership, friend, tree, organizer, fan } = await networkHelpers.loadFixture(pointsFixture);
      // 30 points of 0.001 ETH cannot pay 0.1 ETH in full; a 0.03 ETH ticket they can.
      await ticket.connect(organizer).addTier(tierInput(await eventInput(ethers), { name: "Child", price: 30n * POINT_VALUE }));
      await expect(ticket.connect(friend).buyWith(3, 1, friend.address, purchaseOptions({ member: proofOf(tree, friend.address, 30n), maxTotal: 0n })))
        .to.emit(ticket, "TicketsPurchased")
        .withArgs(friend.address, friend.address, 3n, tokenIdOf(3, 1), 1n, 0n);
      await expect(ticket.connect(fan).buyWith(3, 1, fan.address, purchaseOptions({ member: proofOf(tree, fan.address, 31n) })))
        .to.be.revertedWithCustomError(membership, "PointsAbovePrice")
        .withArgs(31n * POINT_VALUE, 30n * POINT_VALUE);
    });

    it("is refused where the program gives points no value, and the cash part is what a return refunds", async function () {
      const { ticket, membership, organizer, fan, tree } = await networkHelpers.loadFixture(pointsFixture);
      await membership.connect(organizer).setPointValue(ZERO, 0);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ member: proofOf(tree, fan.address, 10n) }), { value: PRICE }))
        .to.be.revertedWithCustomError(membership, "PointsNotAccepted")
        .withArgs(organizer.address, ZERO);
      await membership.connect(organizer).setPointValue(ZERO, POINT_VALUE);
      const cash = PRICE - 50n * POINT_VALUE;
      await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ member: proofOf(tree, fan.address, 50n) }), { value: cash });
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: DAY, shareBps: 10_000 }], false);
      await expect(ticket.connect(fan).returnTicket(tokenIdOf(1, 1))).to.changeEtherBalance(ethers, fan, cash);
      // The points come back as credited points in the next root (the index derives it); the
      // counter on chain only ever grows, so nothing can be spent twice in between.
      expect(await membership.spent(organizer.address, fan.address)).to.equal(50n);
    });
  });

  describe("redeeming points for a voucher", function () {
    async function voucherFixture() {
      const f = await membershipFixture();
      const tree = await postBalances(f, [
        { member: f.fan.address, credited: 150n, level: 0 },
        { member: f.friend.address, credited: 30n, level: 0 },
      ]);
      const offer = { eventAddress: await f.ticket.getAddress(), tierId: 1n, percentOffBps: 2_500, amountOff: 0n, validFor: 30 * DAY, points: 100n, active: true };
      await f.membership.connect(f.organizer).addVoucherOffer(offer);
      return { ...f, tree, offer };
    }
    const abiCoder = ethers.AbiCoder.defaultAbiCoder();

    it("is offered only by the organizer, for an event in the program, with one kind of discount", async function () {
      const { membership, organizer, stranger, offer, factory, input } = await networkHelpers.loadFixture(voucherFixture);
      await expect(membership.connect(stranger).addVoucherOffer(offer)).to.be.revertedWithCustomError(membership, "UnknownProgram");
      for (const bad of [{ ...offer, amountOff: 1n }, { ...offer, percentOffBps: 0 }, { ...offer, percentOffBps: 10_001 }, { ...offer, points: 0n }, { ...offer, validFor: 0 }]) {
        await expect(membership.connect(organizer).addVoucherOffer(bad), JSON.stringify(bad, (_, v) => (typeof v === "bigint" ? String(v) : v))).to.be.revertedWithCustomError(membership, "InvalidVoucherOffer");
      }
      const outside = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
      await expect(membership.connect(organizer).addVoucherOffer({ ...offer, eventAddress: await outside.getAddress() })).to.be.revertedWithCustomError(membership, "NotEnrolled");
      await expect(membership.connect(organizer).setVoucherOfferActive(0, false)).to.emit(membership, "VoucherOfferActiveChanged").withArgs(organizer.address, 0n, false);
      await expect(membership.connect(organizer).setVoucherOfferActive(5, false)).to.be.revertedWithCustomError(membership, "UnknownVoucherOffer");
    });

    it("spends the points once for a voucher the member alone can use, once, at the event", async function () {
      const { ticket, membership, organizer, fan, friend, tree } = await networkHelpers.loadFixture(voucherFixture);
      const leaf = tree.proofFor(fan.address as Hex)!;
      const tx = membership.connect(fan).redeemPoints(organizer.address, 0, leaf.credited, leaf.proof);
      await expect(tx).to.emit(membership, "PointsRedeemed");
      const receipt = await (await tx).wait();
      const redeemed = membership.interface.parseLog(receipt!.logs.find((l) => l.address === (membership.target as string))!)!;
      const codeId = redeemed.args.codeId as string;
      expect(redeemed.args.points).to.equal(100n);
      expect(await membership.spent(organizer.address, fan.address)).to.equal(100n);
      const voucher = await membership.voucherFor(codeId);
      expect([voucher.buyer, voucher.signer, voucher.maxUses, voucher.percentOffBps]).to.deep.equal([fan.address, await membership.getAddress(), 1n, 2_500n]);
      const terms = { eventAddress: voucher.eventAddress, tierId: voucher.tierId, percentOffBps: voucher.percentOffBps, amountOff: voucher.amountOff, maxUses: voucher.maxUses, expiresAt: voucher.expiresAt, buyer: voucher.buyer, signer: voucher.signer, codeId };
      const signature = abiCoder.encode(["bytes32"], [codeId]);
      // Someone else cannot use it; the member can, once, at 25% off.
      await expect(ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions({ voucher: terms, voucherSignature: signature } as never), { value: PRICE })).to.be.revertedWithCustomError(ticket, "VoucherNotForBuyer");
      const paid = (PRICE * 3n) / 4n;
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ voucher: terms, voucherSignature: signature } as never), { value: paid }))
        .to.emit(ticket, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 1n, paid);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ voucher: terms, voucherSignature: signature } as never), { value: paid })).to.be.revertedWithCustomError(ticket, "VoucherUsedUp");
      // A made-up code is not signed for; the remaining 50 points do not buy another voucher.
      const forged = { ...terms, codeId: ethers.id("made up") };
      await expect(
        ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ voucher: forged, voucherSignature: abiCoder.encode(["bytes32"], [forged.codeId]) } as never), { value: paid }),
      ).to.be.revertedWithCustomError(ticket, "VoucherBadSignature");
      await expect(membership.connect(fan).redeemPoints(organizer.address, 0, leaf.credited, leaf.proof))
        .to.be.revertedWithCustomError(membership, "NotEnoughPoints")
        .withArgs(fan.address, 50n, 100n);
      expect(await membership.isValidSignature(ethers.ZeroHash, signature)).to.equal("0xffffffff");
      await expect(membership.voucherFor(forged.codeId)).to.be.revertedWithCustomError(membership, "UnknownRedemption");
    });

    it("refuses a closed offer, and a balance proof of someone else", async function () {
      const { membership, organizer, fan, friend, tree } = await networkHelpers.loadFixture(voucherFixture);
      const leaf = tree.proofFor(fan.address as Hex)!;
      await expect(membership.connect(friend).redeemPoints(organizer.address, 0, leaf.credited, leaf.proof)).to.be.revertedWithCustomError(membership, "InvalidMemberProof");
      await membership.connect(organizer).setVoucherOfferActive(0, false);
      await expect(membership.connect(fan).redeemPoints(organizer.address, 0, leaf.credited, leaf.proof))
        .to.be.revertedWithCustomError(membership, "UnknownVoucherOffer")
        .withArgs(organizer.address, 0n);
    });
  });

  describe("announcements", function () {
    const URI = "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    it("reach an event's holders from its organizer, and members (all, or from a level) from the program's organizer", async function () {
      const { membership, ticket, organizer } = await networkHelpers.loadFixture(membershipFixture);
      const event = await ticket.getAddress();
      await expect(membership.connect(organizer).announce(event, 0, 0, URI)).to.emit(membership, "Announced").withArgs(organizer.address, event, 0n, 0n, URI);
      await expect(membership.connect(organizer).announce(ethers.ZeroAddress, 1, 0, URI)).to.emit(membership, "Announced").withArgs(organizer.address, ethers.ZeroAddress, 1n, 0n, URI);
      await expect(membership.connect(organizer).announce(ethers.ZeroAddress, 2, 2, URI)).to.emit(membership, "Announced").withArgs(organizer.address, ethers.ZeroAddress, 2n, 2n, URI);
    });

    it("are refused to anyone else, and when the audience or the text is missing", async function () {
      const { membership, ticket, organizer, stranger } = await networkHelpers.loadFixture(membershipFixture);
      const event = await ticket.getAddress();
      await expect(membership.connect(stranger).announce(event, 0, 0, URI))
        .to.be.revertedWithCustomError(membership, "NotEventOrganizer")
        .withArgs(event, stranger.address);
      await expect(membership.connect(stranger).announce(stranger.address, 0, 0, URI)).to.be.revertedWithCustomError(membership, "NotEventOrganizer");
      await expect(membership.connect(stranger).announce(ethers.ZeroAddress, 1, 0, URI))
        .to.be.revertedWithCustomError(membership, "UnknownProgram")
        .withArgs(stranger.address);
      for (const [eventAddress, audience, level, uri] of [
        [event, 0, 0, ""],
        [ethers.ZeroAddress, 0, 0, URI],
        [event, 1, 0, URI],
        [ethers.ZeroAddress, 2, 0, URI],
        [ethers.ZeroAddress, 2, 9, URI],
        [ethers.ZeroAddress, 3, 0, URI],
      ] as [string, number, number, string][]) {
        await expect(membership.connect(organizer).announce(eventAddress, audience, level, uri), `${audience}/${level}`).to.be.revertedWithCustomError(membership, "InvalidAnnouncement");
      }
    });
  });
});
