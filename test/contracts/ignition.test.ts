// The Ignition modules deploy the platform an operator would: the plan's contracts wired in order,
// the factory configured from the module's parameters, events creatable and sellable at once.
import { expect } from "chai";
import { network } from "hardhat";

import LocalDemoModule, { ETH_USD_ANSWER, FEED_DECIMALS, USDC_USD_ANSWER } from "../../ignition/modules/LocalDemo.js";
import PlatformModule from "../../ignition/modules/Platform.js";
import { PLATFORM_STEPS } from "../../scripts/lib/platform-plan.js";
import type { IChainpassEvent } from "../../types/ethers-contracts/index.js";
import { ZERO, eventInput, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, ignition } = await network.create();

describe("Ignition modules", function () {
  it("Platform: every contract of the plan, wired in order, with the parameters given", async function () {
    const [deployer, owner, feeRecipient, organizer, fan] = await ethers.getSigners();
    const stablecoin = await ethers.deployContract("MockUSDC");
    const deployed = await ignition.deploy(PlatformModule, {
      parameters: {
        ChainpassPlatform: {
          owner: owner.address,
          feeRecipient: feeRecipient.address,
          feeBps: 300,
          settlementDelay: 86_400,
          currencies: [ZERO, await stablecoin.getAddress()],
        },
      },
    });
    expect(Object.keys(deployed).sort()).to.deep.equal(PLATFORM_STEPS.map((s) => s.contract).sort());
    const factory = await ethers.getContractAt("TicketFactory", await deployed.TicketFactory.getAddress());
    expect(await factory.owner()).to.equal(owner.address);
    expect(await factory.feeRecipient()).to.equal(feeRecipient.address);
    expect(await factory.platformFeeBps()).to.equal(300n);
    expect(await factory.settlementDelay()).to.equal(86_400n);
    expect(await factory.implementation()).to.equal(await deployed.EventTicket.getAddress());
    expect(await factory.isCurrencyAllowed(await stablecoin.getAddress())).to.equal(true);
    expect(await factory.isCurrencyAllowed(deployer.address)).to.equal(false);

    // An event made through it sells, and its console and views answer (the delegatecall chain).
    const input = await eventInput(ethers);
    await (await factory.connect(organizer).createEvent(input, [tierInput(input, { price: 1000n })], 300)).wait();
    const ticket = (await ethers.getContractAt("IChainpassEvent", await factory.eventAt(0))) as unknown as IChainpassEvent;
    await (await ticket.connect(fan).buy(1, 2, fan.address, 2000n, { value: 2000n })).wait();
    expect(await ticket.ownerOf(tokenIdOf(1, 2))).to.equal(fan.address);
    expect((await ticket.tier(1)).sold).to.equal(2n);
    expect(await ticket.escrowBalance()).to.equal(2000n);
    await expect(ticket.connect(organizer).setCheckInLead(3)).to.emit(ticket, "CheckInLeadChanged").withArgs(3);
  });

  it("LocalDemo: the platform owned by the deployer, with MockUSDC allowed beside ETH", async function () {
    const [deployer] = await ethers.getSigners();
    const { usdc, TicketFactory } = await ignition.deploy(LocalDemoModule);
    const factory = await ethers.getContractAt("TicketFactory", await TicketFactory.getAddress());
    expect(await factory.owner()).to.equal(deployer.address);
    expect(await factory.isCurrencyAllowed(ZERO)).to.equal(true);
    expect(await factory.isCurrencyAllowed(await usdc.getAddress())).to.equal(true);
  });

  it("LocalDemo: Chainlink-style ETH / USD and USDC / USD feeds that answer, and take new answers from the deployer only", async function () {
    const [deployer, stranger] = await ethers.getSigners();
    const { ethUsdFeed, usdcUsdFeed } = await ignition.deploy(LocalDemoModule);
    for (const [future, description, answer] of [
      [ethUsdFeed, "ETH / USD", ETH_USD_ANSWER],
      [usdcUsdFeed, "USDC / USD", USDC_USD_ANSWER],
    ] as const) {
      // Read through Chainlink's interface, as the app does.
      const feed = await ethers.getContractAt("AggregatorV3Interface", await future.getAddress());
      expect(await feed.decimals()).to.equal(BigInt(FEED_DECIMALS));
      expect(await feed.description()).to.equal(description);
      expect(await feed.version()).to.equal(4n);
      const [roundId, latest, startedAt, updatedAt, answeredInRound] = await feed.latestRoundData();
      expect(latest).to.equal(answer);
      expect([roundId, answeredInRound]).to.deep.equal([1n, 1n]);
      expect(updatedAt).to.equal(startedAt).and.be.greaterThan(0n);
      expect((await feed.getRoundData(1n)).answer).to.equal(answer);
    }
    expect(ETH_USD_ANSWER).to.equal(2_500n * 10n ** 8n);

    // A new answer is a new round, updated in its block; the old round stays readable.
    const eth = await ethers.getContractAt("MockPriceFeed", await ethUsdFeed.getAddress());
    const receipt = await (await eth.connect(deployer).setAnswer(3_000n * 10n ** 8n)).wait();
    const block = await ethers.provider.getBlock(receipt!.blockNumber);
    const latest = await eth.latestRoundData();
    expect([latest.roundId, latest.answer, latest.updatedAt]).to.deep.equal([2n, 3_000n * 10n ** 8n, BigInt(block!.timestamp)]);
    expect((await eth.getRoundData(1n)).answer).to.equal(ETH_USD_ANSWER);
    await expect(eth.getRoundData(3n)).to.be.revertedWith("No data present");
    await expect(eth.connect(stranger).setAnswer(1n)).to.be.revertedWithCustomError(eth, "NotOwner").withArgs(stranger.address);
  });
});
