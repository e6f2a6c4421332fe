import { expect } from "chai";
import { network } from "hardhat";

import {
  CHECK_IN_LEAD,
  Policy,
  buyTickets,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

async function eventWith(policy: number) {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger, gate] = await ethers.getSigners();
  const input = await eventInput(ethers, { policy, giftsPerHolder: 1 });
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input)]);
  await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
  await buyTickets(ticket, fan, 1, 3);
  return { ...platform, organizer, fan, friend, stranger, gate, input, ticket };
}
const openFixture = () => eventWith(Policy.Open);
const cappedFixture = () => eventWith(Policy.Capped);
const lockedFixture = () => eventWith(Policy.Locked);
// loadFixture caches by function identity; give each a name.
Object.defineProperty(openFixture, "name", { value: "openFixture" });
Object.defineProperty(cappedFixture, "name", { value: "cappedFixture" });
Object.defineProperty(lockedFixture, "name", { value: "lockedFixture" });

const first = tokenIdOf(1, 1);
const second = tokenIdOf(1, 2);

describe("Transfer policy", function () {
  describe("Open", function () {
    it("allows plain and approved transfers", async function () {
      const { ticket, fan, friend, stranger } = await networkHelpers.loadFixture(openFixture);
      await ticket.connect(fan).transferFrom(fan.address, friend.address, first);
      await ticket.connect(fan).approve(stranger.address, second);
      await ticket.connect(stranger).transferFrom(fan.address, stranger.address, second);
      expect(await ticket.ownerOf(first)).to.equal(friend.address);
      expect(await ticket.ownerOf(second)).to.equal(stranger.address);
      expect(await ticket.locked(first)).to.equal(false);
    });

    it("counts no gifts: a gift is just a transfer with an event", async function () {
      const { ticket, fan, friend } = await networkHelpers.loadFixture(openFixture);
      await expect(ticket.connect(fan).gift(first, friend.address))
        .to.emit(ticket, "Gifted")
        .withArgs(first, fan.address, friend.address, 0n);
      await ticket.connect(fan).gift(second, friend.address);
      expect(await ticket.giftsUsed(fan.address)).to.equal(0n);
    });
  });

  describe("Capped", function () {
    it("refuses plain transfers outside the market", async function () {
      const { ticket, fan, friend } = await networkHelpers.loadFixture(cappedFixture);
      await expect(ticket.connect(fan).transferFrom(fan.address, friend.address, first))
        .to.be.revertedWithCustomError(ticket, "TransferRestricted")
        .withArgs(first);
      await expect(
        ticket.connect(fan)["safeTransferFrom(address,address,uint256)"](fan.address, friend.address, first),
      ).to.be.revertedWithCustomError(ticket, "TransferRestricted");
    });

    it("allows the organizer's number of free gifts per holder, counted and emitted", async function () {
      const { ticket, fan, friend } = await networkHelpers.loadFixture(cappedFixture);
      await expect(ticket.connect(fan).gift(first, friend.address))
        .to.emit(ticket, "Gifted")
        .withArgs(first, fan.address, friend.address, 1n);
      expect(await ticket.ownerOf(first)).to.equal(friend.address);
      expect(await ticket.giftsUsed(fan.address)).to.equal(1n);
      await expect(ticket.connect(fan).gift(second, friend.address))
        .to.be.revertedWithCustomError(ticket, "GiftAllowanceExhausted")
        .withArgs(fan.address, 1n, 1n);
    });

    it("refuses a gift to the ticket's own holder, without spending a gift", async function () {
      const { ticket, fan } = await networkHelpers.loadFixture(cappedFixture);
      await expect(ticket.connect(fan).gift(first, fan.address))
        .to.be.revertedWithCustomError(ticket, "GiftToHolder")
        .withArgs(first, fan.address);
      expect(await ticket.giftsUsed(fan.address)).to.equal(0n);
    });

    it("lets the organizer change the allowance", async function () {
      const { ticket, organizer, fan, friend } = await networkHelpers.loadFixture(cappedFixture);
      await expect(ticket.connect(organizer).setGiftsPerHolder(3)).to.emit(ticket, "GiftAllowanceChanged").withArgs(3);
      await ticket.connect(fan).gift(first, friend.address);
      await ticket.connect(fan).gift(second, friend.address);
      expect(await ticket.giftsUsed(fan.address)).to.equal(2n);
    });

    it("refuses gifts by anyone but the holder or its approved operator", async function () {
      const { ticket, fan, stranger } = await networkHelpers.loadFixture(cappedFixture);
      await expect(ticket.connect(stranger).gift(first, stranger.address))
        .to.be.revertedWithCustomError(ticket, "ERC721InsufficientApproval")
        .withArgs(stranger.address, first);
      expect(await ticket.ownerOf(first)).to.equal(fan.address);
    });

    it("frees transfers after the event ends", async function () {
      const { ticket, fan, friend, input } = await networkHelpers.loadFixture(cappedFixture);
      await networkHelpers.time.increaseTo(input.end);
      await ticket.connect(fan).transferFrom(fan.address, friend.address, first);
      expect(await ticket.ownerOf(first)).to.equal(friend.address);
    });
  });

  describe("Locked (ERC-5192)", function () {
    it("is soulbound until the end: transfers and gifts are refused", async function () {
      const { ticket, fan, friend, input } = await networkHelpers.loadFixture(lockedFixture);
      expect(await ticket.locked(first)).to.equal(true);
      await expect(ticket.connect(fan).transferFrom(fan.address, friend.address, first))
        .to.be.revertedWithCustomError(ticket, "TransferLocked")
        .withArgs(first, input.end);
      await expect(ticket.connect(fan).gift(first, friend.address))
        .to.be.revertedWithCustomError(ticket, "TransferLocked")
        .withArgs(first, input.end);
    });

    it("unlocks at the end and emits Unlocked when the keepsake moves", async function () {
      const { ticket, fan, friend, input } = await networkHelpers.loadFixture(lockedFixture);
      await networkHelpers.time.increaseTo(input.end);
      expect(await ticket.locked(first)).to.equal(false);
      await expect(ticket.connect(fan).transferFrom(fan.address, friend.address, first))
        .to.emit(ticket, "Unlocked")
        .withArgs(first);
    });

    it("reverts locked() for a token that does not exist", async function () {
      const { ticket } = await networkHelpers.loadFixture(lockedFixture);
      await expect(ticket.locked(tokenIdOf(1, 99)))
        .to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken")
        .withArgs(tokenIdOf(1, 99));
    });
  });

  describe("the deny list", function () {
    it("stops a denied address from receiving tickets by any path", async function () {
      const { ticket, organizer, fan, friend } = await networkHelpers.loadFixture(openFixture);
      await ticket.connect(organizer).setDenied([friend.address], true);
      await expect(ticket.connect(fan).transferFrom(fan.address, friend.address, first))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(friend.address);
      await expect(ticket.connect(fan).gift(first, friend.address))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(friend.address);
    });

    it("is managed by the organizer only", async function () {
      const { ticket, fan, stranger } = await networkHelpers.loadFixture(openFixture);
      await expect(ticket.connect(stranger).setDenied([fan.address], true))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.ZeroHash);
    });
  });

  describe("a checked-in ticket", function () {
    it("cannot move until the event ends, under any policy", async function () {
      const { ticket, fan, friend, gate, input } = await networkHelpers.loadFixture(openFixture);
      await networkHelpers.time.increaseTo(input.start - CHECK_IN_LEAD);
      await ticket.connect(gate).checkIn([first]);
      await expect(ticket.connect(fan).transferFrom(fan.address, friend.address, first))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
        .withArgs(first, input.end);
      await expect(ticket.connect(fan).gift(first, friend.address))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
        .withArgs(first, input.end);
      // Others still move.
      await ticket.connect(fan).transferFrom(fan.address, friend.address, second);
      await networkHelpers.time.increaseTo(input.end);
      await ticket.connect(fan).transferFrom(fan.address, friend.address, first);
      expect(await ticket.ownerOf(first)).to.equal(friend.address);
    });
  });
});

describe("ERC-721 and AccessControl surface", function () {
  it("names the collection after the event", async function () {
    const { ticket, input } = await networkHelpers.loadFixture(openFixture);
    expect(await ticket.name()).to.equal(input.name);
    expect(await ticket.symbol()).to.equal(input.symbol);
  });

  it("lets an approved operator move every ticket of a holder, until approval is withdrawn", async function () {
    const { ticket, fan, friend, stranger } = await networkHelpers.loadFixture(openFixture);
    await expect(ticket.connect(fan).setApprovalForAll(stranger.address, true))
      .to.emit(ticket, "ApprovalForAll")
      .withArgs(fan.address, stranger.address, true);
    expect(await ticket.isApprovedForAll(fan.address, stranger.address)).to.equal(true);
    await ticket.connect(stranger).transferFrom(fan.address, friend.address, first);
    await ticket.connect(fan).setApprovalForAll(stranger.address, false);
    await expect(ticket.connect(stranger).transferFrom(fan.address, friend.address, second))
      .to.be.revertedWithCustomError(ticket, "ERC721InsufficientApproval")
      .withArgs(stranger.address, second);
    expect(await ticket.balanceOf(friend.address)).to.equal(1n);
    expect(await ticket.balanceOf(fan.address)).to.equal(2n);
  });

  it("clears a single-token approval when the token moves", async function () {
    const { ticket, fan, friend, stranger } = await networkHelpers.loadFixture(openFixture);
    await ticket.connect(fan).approve(stranger.address, first);
    expect(await ticket.getApproved(first)).to.equal(stranger.address);
    await ticket.connect(fan).transferFrom(fan.address, friend.address, first);
    expect(await ticket.getApproved(first)).to.equal(ethers.ZeroAddress);
  });

  it("makes the organizer the admin of the gate and finance roles; staff may step down", async function () {
    const { ticket, gate } = await networkHelpers.loadFixture(openFixture);
    const organizerRole = await ticket.ORGANIZER_ROLE();
    expect(await ticket.getRoleAdmin(await ticket.GATE_ROLE())).to.equal(organizerRole);
    expect(await ticket.getRoleAdmin(await ticket.FINANCE_ROLE())).to.equal(organizerRole);
    await expect(ticket.connect(gate).renounceRole(await ticket.GATE_ROLE(), gate.address)).to.emit(
      ticket,
      "RoleRevoked",
    );
    expect(await ticket.hasRole(await ticket.GATE_ROLE(), gate.address)).to.equal(false);
  });
});
