import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  PLATFORM_FEE_BPS,
  Policy,
  SETTLEMENT_DELAY,
  ZERO,
  buyTickets,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

async function platformFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, stranger, other] = await ethers.getSigners();
  const input = await eventInput(ethers);
  return { ...platform, organizer, stranger, other, input };
}

describe("TicketFactory", function () {
  describe("createEvent", function () {
    it("deploys a minimal-proxy clone of the single implementation", async function () {
      const { factory, organizer, input, addresses } = await networkHelpers.loadFixture(platformFixture);
      const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
      const code = await ethers.provider.getCode(await ticket.getAddress());
      const implementation = (await factory.implementation()).slice(2).toLowerCase();
      expect(await factory.implementation()).to.equal(addresses.EventTicket);
      // EIP-1167 runtime: 363d3d373d3d3d363d73 <implementation> 5af43d82803e903d91602b57fd5bf3, then the
      // immutable arguments: the factory's 20 bytes, then the URI.
      expect(code.slice(0, 22)).to.equal("0x363d3d373d3d3d363d73");
      expect(code.slice(22, 62)).to.equal(implementation);
      expect(code.slice(62, 2 + 45 * 2)).to.equal("5af43d82803e903d91602b57fd5bf3");
      const args = 2 + 45 * 2;
      expect(ethers.getAddress("0x" + code.slice(args, args + 40))).to.equal(await factory.getAddress());
      expect(ethers.toUtf8String("0x" + code.slice(args + 40))).to.equal(input.metadataURI);
    });

    it("initializes the clone in the same transaction with the event data and tiers", async function () {
      const { factory, organizer, input } = await networkHelpers.loadFixture(platformFixture);
      const tiers = [tierInput(input), tierInput(input, { name: "Child", price: 5n, supply: 20, maxPerWallet: 2 })];
      const ticket = await createEvent(ethers, factory, organizer, input, tiers);
      const info = await ticket.eventInfo();
      expect(info.name).to.equal(input.name);
      expect(info.symbol).to.equal(input.symbol);
      expect(info.metadataURI).to.equal(input.metadataURI);
      expect(info.start).to.equal(input.start);
      expect(info.end).to.equal(input.end);
      expect(info.currency).to.equal(input.currency);
      expect(info.payout).to.equal(input.payout);
      expect(info.royaltyBps).to.equal(input.royaltyBps);
      expect(info.resaleCapBps).to.equal(input.resaleCapBps);
      expect(info.policy).to.equal(input.policy);
      expect(info.giftsPerHolder).to.equal(input.giftsPerHolder);
      expect(info.tierCount).to.equal(2);
      expect(info.factory).to.equal(await factory.getAddress());
      expect(info.platformFeeBps).to.equal(PLATFORM_FEE_BPS);
      expect(info.settlementDelay).to.equal(SETTLEMENT_DELAY);
      const child = await ticket.tier(2);
      expect([child.name, child.price, child.supply, child.maxPerWallet]).to.deep.equal(["Child", 5n, 20n, 2n]);
    });

    it("grants the caller the organizer role and nothing else", async function () {
      const { factory, organizer, stranger, input } = await networkHelpers.loadFixture(platformFixture);
      const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
      expect(await ticket.hasRole(await ticket.ORGANIZER_ROLE(), organizer.address)).to.equal(true);
      expect(await ticket.hasRole(await ticket.GATE_ROLE(), organizer.address)).to.equal(false);
      expect(await ticket.hasRole(await ticket.ORGANIZER_ROLE(), stranger.address)).to.equal(false);
      expect(await ticket.hasRole(await ticket.ORGANIZER_ROLE(), await factory.getAddress())).to.equal(false);
    });

    it("emits EventCreated with the event data, then the clone's TierAdded events", async function () {
      const { factory, organizer, input } = await networkHelpers.loadFixture(platformFixture);
      const tier = tierInput(input);
      const tx = await factory.connect(organizer).createEvent(input, [tier], PLATFORM_FEE_BPS);
      const receipt = (await tx.wait())!;
      const ticketAddress = await factory.eventAt(0);
      const created = factory.interface.parseLog(receipt.logs.find((l) => l.address === (factory.target as string))!)!;
      expect(created.name).to.equal("EventCreated");
      expect(created.args.eventId).to.equal(0n);
      expect(created.args.ticket).to.equal(ticketAddress);
      expect(created.args.organizer).to.equal(organizer.address);
      expect(created.args.params.name).to.equal(input.name);
      expect(created.args.params.metadataURI).to.equal(input.metadataURI);
      expect(created.args.params.end).to.equal(input.end);
      expect(created.args.platformFeeBps).to.equal(PLATFORM_FEE_BPS);
      expect(created.args.settlementDelay).to.equal(SETTLEMENT_DELAY);
      const ticket = await ethers.getContractAt("IChainpassEvent", ticketAddress);
      await expect(tx)
        .to.emit(ticket, "TierAdded")
        .withArgs(1n, tier.name, tier.price, tier.supply, tier.maxPerWallet, tier.saleStart, tier.saleEnd);
      const createdIndex = receipt.logs.findIndex((l) => l.address === factory.target);
      const tierIndex = receipt.logs.findIndex((l) => l.topics[0] === ticket.interface.getEvent("TierAdded").topicHash);
      expect(createdIndex).to.be.lessThan(tierIndex);
    });

    it("keeps a registry of all events and of events by organizer", async function () {
      const { factory, organizer, other, input } = await networkHelpers.loadFixture(platformFixture);
      const a = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
      const b = await createEvent(ethers, factory, other, input, [tierInput(input)]);
      const c = await createEvent(ethers, factory, organizer, input, []);
      expect(await factory.eventCount()).to.equal(3n);
      expect(await factory.eventAt(1)).to.equal(await b.getAddress());
      expect(await factory.eventsOf(organizer.address)).to.deep.equal([await a.getAddress(), await c.getAddress()]);
      expect(await factory.eventsOf(other.address)).to.deep.equal([await b.getAddress()]);
      await expect(factory.eventAt(3)).to.be.revertedWithCustomError(factory, "EventIndexOutOfRange").withArgs(3n, 3n);
    });

    it("fixes the platform fee and settlement delay in force at creation", async function () {
      const { factory, owner, organizer, input } = await networkHelpers.loadFixture(platformFixture);
      const before = await createEvent(ethers, factory, organizer, input, []);
      await factory.connect(owner).setPlatformFee(900);
      await factory.connect(owner).setSettlementDelay(7 * DAY);
      await factory.connect(organizer).createEvent(input, [], 900);
      const after = await ethers.getContractAt("IChainpassEvent", await factory.eventAt(1));
      expect((await before.eventInfo()).platformFeeBps).to.equal(PLATFORM_FEE_BPS);
      expect((await before.eventInfo()).settlementDelay).to.equal(SETTLEMENT_DELAY);
      expect((await after.eventInfo()).platformFeeBps).to.equal(900);
      expect((await after.eventInfo()).settlementDelay).to.equal(7 * DAY);
    });

    it("refuses a platform fee above the organizer's limit (a fee raised just before)", async function () {
      const { factory, owner, organizer, input } = await networkHelpers.loadFixture(platformFixture);
      await factory.connect(owner).setPlatformFee(PLATFORM_FEE_BPS + 1);
      await expect(factory.connect(organizer).createEvent(input, [tierInput(input)], PLATFORM_FEE_BPS))
        .to.be.revertedWithCustomError(factory, "PlatformFeeAboveLimit")
        .withArgs(BigInt(PLATFORM_FEE_BPS + 1), BigInt(PLATFORM_FEE_BPS));
      expect(await factory.eventCount()).to.equal(0n);
      // A limit at the fee, or above it, is accepted.
      await factory.connect(organizer).createEvent(input, [tierInput(input)], PLATFORM_FEE_BPS + 1);
      await factory.connect(organizer).createEvent(input, [tierInput(input)], 10_000);
      expect(await factory.eventCount()).to.equal(2n);
    });

    it("sells only in currencies the platform allows", async function () {
      const { factory, owner, usdc, organizer } = await networkHelpers.loadFixture(platformFixture);
      expect(await factory.isCurrencyAllowed(ZERO)).to.equal(true);
      expect(await factory.isCurrencyAllowed(await usdc.getAddress())).to.equal(true);
      const other = await ethers.deployContract("MockFeeToken");
      const otherAddress = await other.getAddress();
      expect(await factory.isCurrencyAllowed(otherAddress)).to.equal(false);
      const inOther = await eventInput(ethers, { currency: otherAddress });
      await expect(factory.connect(organizer).createEvent(inOther, [tierInput(inOther)], PLATFORM_FEE_BPS))
        .to.be.revertedWithCustomError(factory, "CurrencyNotAllowed")
        .withArgs(otherAddress);

      await expect(factory.connect(owner).setCurrencyAllowed(otherAddress, true))
        .to.emit(factory, "CurrencyAllowed")
        .withArgs(otherAddress, true);
      const ticket = await createEvent(ethers, factory, organizer, inOther, [tierInput(inOther)]);
      expect((await ticket.eventInfo()).currency).to.equal(otherAddress);

      // Disallowing a currency stops new events in it, even ETH; existing events keep theirs.
      await expect(factory.connect(owner).setCurrencyAllowed(otherAddress, false))
        .to.emit(factory, "CurrencyAllowed")
        .withArgs(otherAddress, false);
      await factory.connect(owner).setCurrencyAllowed(ZERO, false);
      for (const currency of [otherAddress, ZERO]) {
        const refused = await eventInput(ethers, { currency });
        await expect(factory.connect(organizer).createEvent(refused, [], PLATFORM_FEE_BPS))
          .to.be.revertedWithCustomError(factory, "CurrencyNotAllowed")
          .withArgs(currency);
      }
      expect((await ticket.eventInfo()).currency).to.equal(otherAddress);
    });
  });

  describe("the implementation and the clones", function () {
    it("refuses to initialize the implementation", async function () {
      const { factory, organizer, input } = await networkHelpers.loadFixture(platformFixture);
      const implementation = await ethers.getContractAt("IChainpassEvent", await factory.implementation());
      await expect(
        implementation.connect(organizer).initialize(organizer.address, input, [], 0, 0),
      ).to.be.revertedWithCustomError(implementation, "InvalidInitialization");
    });

    it("refuses to initialize a clone twice", async function () {
      const { factory, organizer, input } = await networkHelpers.loadFixture(platformFixture);
      const ticket = await createEvent(ethers, factory, organizer, input, []);
      await expect(
        ticket.connect(organizer).initialize(organizer.address, input, [], 0, 0),
      ).to.be.revertedWithCustomError(ticket, "InvalidInitialization");
    });

    it("refuses initialization of a clone by anyone but the factory", async function () {
      const { factory, organizer, stranger, input } = await networkHelpers.loadFixture(platformFixture);
      const implementation = await factory.implementation();
      const cloneFactory = await ethers.deployContract("CloneDeployer");
      // The clone names the real factory in its arguments, as the factory's own clones do.
      await cloneFactory.clone(
        implementation,
        ethers.concat([await factory.getAddress(), ethers.toUtf8Bytes(input.metadataURI)]),
      );
      const clone = await ethers.getContractAt("IChainpassEvent", await cloneFactory.last());
      await expect(clone.connect(stranger).initialize(organizer.address, input, [], 0, 0))
        .to.be.revertedWithCustomError(clone, "NotFactory")
        .withArgs(stranger.address);
    });
  });

  describe("platform settings", function () {
    it("lets the owner set the fee, recipient and delay, each with an event", async function () {
      const { factory, owner, other } = await networkHelpers.loadFixture(platformFixture);
      await expect(factory.connect(owner).setPlatformFee(1000)).to.emit(factory, "PlatformFeeChanged").withArgs(1000);
      await expect(factory.connect(owner).setFeeRecipient(other.address))
        .to.emit(factory, "FeeRecipientChanged")
        .withArgs(other.address);
      await expect(factory.connect(owner).setSettlementDelay(DAY))
        .to.emit(factory, "SettlementDelayChanged")
        .withArgs(DAY);
      expect(await factory.platformFeeBps()).to.equal(1000);
      expect(await factory.feeRecipient()).to.equal(other.address);
      expect(await factory.settlementDelay()).to.equal(DAY);
    });

    it("caps the fee and the delay", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(platformFixture);
      await expect(factory.connect(owner).setPlatformFee(1001))
        .to.be.revertedWithCustomError(factory, "PlatformFeeTooHigh")
        .withArgs(1001n, 1000n);
      await expect(factory.connect(owner).setSettlementDelay(30 * DAY + 1))
        .to.be.revertedWithCustomError(factory, "SettlementDelayTooLong")
        .withArgs(BigInt(30 * DAY + 1), BigInt(30 * DAY));
    });

    it("refuses a zero fee recipient", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(platformFixture);
      await expect(factory.connect(owner).setFeeRecipient(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "InvalidFeeRecipient")
        .withArgs(ethers.ZeroAddress);
    });

    it("refuses settings from anyone but the owner", async function () {
      const { factory, stranger } = await networkHelpers.loadFixture(platformFixture);
      for (const call of [
        factory.connect(stranger).setPlatformFee(1),
        factory.connect(stranger).setFeeRecipient(stranger.address),
        factory.connect(stranger).setSettlementDelay(1),
        factory.connect(stranger).setCurrencyAllowed(stranger.address, true),
        factory.connect(stranger).setArbiter(stranger.address),
      ]) {
        await expect(call).to.be.revertedWithCustomError(factory, "OwnableUnauthorizedAccount").withArgs(stranger.address);
      }
    });

    it("can be renounced by the owner, freezing the settings", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(platformFixture);
      await factory.connect(owner).renounceOwnership();
      expect(await factory.owner()).to.equal(ethers.ZeroAddress);
      await expect(factory.connect(owner).setPlatformFee(1)).to.be.revertedWithCustomError(
        factory,
        "OwnableUnauthorizedAccount",
      );
    });

    it("names the implementation, built on the plan's renderer", async function () {
      const { factory, addresses } = await networkHelpers.loadFixture(platformFixture);
      expect(await factory.implementation()).to.equal(addresses.EventTicket);
      const implementation = await ethers.getContractAt("IChainpassEvent", await factory.implementation());
      for (const name of ["TicketRenderer", "EventTicketManager", "EventTicketTreasury", "EventTicketSettings", "EventTicketCatalog", "EventTicketViews"] as const) {
        expect(await ethers.provider.getCode(addresses[name]), name).to.not.equal("0x");
      }
      expect(await implementation.supportsInterface("0x80ac58cd")).to.equal(true);
    });

    it("lets the owner appoint an arbiter, with an event", async function () {
      const { factory, owner, other } = await networkHelpers.loadFixture(platformFixture);
      expect(await factory.arbiter()).to.equal(ZERO);
      await expect(factory.connect(owner).setArbiter(other.address))
        .to.emit(factory, "ArbiterChanged")
        .withArgs(other.address);
      expect(await factory.arbiter()).to.equal(other.address);
      await expect(factory.connect(owner).setArbiter(ZERO)).to.emit(factory, "ArbiterChanged").withArgs(ZERO);
      expect(await factory.arbiter()).to.equal(ZERO);
    });

    it("hands ownership over in two steps", async function () {
      const { factory, owner, other } = await networkHelpers.loadFixture(platformFixture);
      await factory.connect(owner).transferOwnership(other.address);
      expect(await factory.owner()).to.equal(owner.address);
      expect(await factory.pendingOwner()).to.equal(other.address);
      await factory.connect(other).acceptOwnership();
      expect(await factory.owner()).to.equal(other.address);
    });
  });

  describe("withdrawFees", function () {
    async function settledEventsFixture() {
      const base = await platformFixture();
      const { factory, usdc, organizer, stranger } = base;
      const ethEvent = await eventInput(ethers, { policy: Policy.Open });
      const usdcEvent = await eventInput(ethers, { currency: await usdc.getAddress() });
      const eth = await createEvent(ethers, factory, organizer, ethEvent, [tierInput(ethEvent, { price: 10n ** 18n })]);
      const erc20 = await createEvent(ethers, factory, organizer, usdcEvent, [
        tierInput(usdcEvent, { price: 40_000_000n }),
      ]);
      await buyTickets(eth, stranger, 1, 4);
      await buyTickets(erc20, stranger, 1, 5, stranger.address, usdc);
      await networkHelpers.time.increaseTo(ethEvent.end + SETTLEMENT_DELAY);
      await eth.connect(organizer).withdraw();
      await erc20.connect(organizer).withdraw();
      // The fee on the proceeds accrues in each event until anyone sends it to the factory.
      await eth.connect(stranger).withdrawPlatformFees();
      await erc20.connect(stranger).withdrawPlatformFees();
      return base;
    }

    it("sends collected ETH fees to the fee recipient", async function () {
      const { factory, feeRecipient, stranger } = await networkHelpers.loadFixture(settledEventsFixture);
      const fee = (4n * 10n ** 18n * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
      const tx = factory.connect(stranger).withdrawFees(ethers.ZeroAddress);
      await expect(tx).to.changeEtherBalances(ethers, [factory, feeRecipient], [-fee, fee]);
      await expect(tx).to.emit(factory, "FeesWithdrawn").withArgs(ethers.ZeroAddress, feeRecipient.address, fee);
    });

    it("sends collected ERC-20 fees to the fee recipient", async function () {
      const { factory, usdc, feeRecipient, stranger } = await networkHelpers.loadFixture(settledEventsFixture);
      const fee = (5n * 40_000_000n * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
      await expect(factory.connect(stranger).withdrawFees(await usdc.getAddress())).to.emit(factory, "FeesWithdrawn");
      expect(await usdc.balanceOf(feeRecipient.address)).to.equal(fee);
      expect(await usdc.balanceOf(await factory.getAddress())).to.equal(0n);
    });
  });
});
