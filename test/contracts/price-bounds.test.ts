// Security review (issue 12), finding 5: no price bound for ERC-20 purchases. A seller could
// front-run `buyListing` with `updateListing` up to the cap, an organizer could raise a price after
// the buyer saw it, and a buyer with a standing allowance paid whatever the contract pulled.
// Now `buy` and `buyWith` take the most the buyer accepts in all (`maxTotal`), `buyListing` the
// most it accepts for the listing (`maxPrice`); a higher price is refused with
// PriceAboveLimit(price, limit) before any money moves, and the exact limit is accepted.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { IChainpassEvent, MockUSDC } from "../../types/ethers-contracts/index.js";
import { DAY, NO_OPTIONS_VOUCHER, ZERO, createEvent, deployPlatform, eventInput, purchaseOptions, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const BPS = 10_000n;
const CAP_BPS = 11_000n;
const ETH_PRICE = 10n ** 17n;
const USDC_PRICE = 45_500_000n;
const noOptions = { earlyPrice: 0n, earlyUntil: 0, entryStart: 0, entryEnd: 0, presaleStart: 0, presaleRoot: ethers.ZeroHash };

describe("Price bounds (review finding 5)", function () {
  async function boundsFixture() {
    const platform = await deployPlatform(ethers);
    const [, , organizer, fan, seller, buyer] = await ethers.getSigners();
    const usdcAddress = await platform.usdc.getAddress();
    const ethInput = await eventInput(ethers);
    const eth = await createEvent(ethers, platform.factory, organizer, ethInput, [
      tierInput(ethInput, { price: ETH_PRICE }),
      tierInput(ethInput, { name: "VIP", price: 3n * ETH_PRICE }),
    ]);
    const usdcInput = await eventInput(ethers, { currency: usdcAddress });
    const usdcEvent = await createEvent(ethers, platform.factory, organizer, usdcInput, [
      tierInput(usdcInput, { price: USDC_PRICE }),
      tierInput(usdcInput, { name: "VIP", price: 3n * USDC_PRICE }),
    ]);
    return { ...platform, organizer, fan, seller, buyer, ethInput, eth, usdcInput, usdcEvent, usdcAddress };
  }

  /** A buyer who once approved the event for everything and holds plenty: the dangerous case. */
  async function standingAllowance(usdc: MockUSDC, ticket: IChainpassEvent, who: HardhatEthersSigner) {
    await usdc.mint(who.address, 1_000n * USDC_PRICE);
    await usdc.connect(who).approve(await ticket.getAddress(), ethers.MaxUint256);
    return usdc.balanceOf(who.address);
  }

  /** Early price `early` until ten days before the start; the organizer raises it to `raised`. */
  async function raiseEarlyPrice(ticket: IChainpassEvent, organizer: HardhatEthersSigner, start: number, early: bigint, raised: bigint) {
    const earlyUntil = start - 10 * DAY;
    await ticket.connect(organizer).setTierOptions(1, { ...noOptions, earlyPrice: early, earlyUntil });
    const shown = await ticket.priceOf(1, ZERO, NO_OPTIONS_VOUCHER);
    expect(shown).to.equal(early);
    await ticket.connect(organizer).setTierOptions(1, { ...noOptions, earlyPrice: raised, earlyUntil });
    expect(await ticket.priceOf(1, ZERO, NO_OPTIONS_VOUCHER)).to.equal(raised);
    return shown;
  }

  describe("buy and buyWith in ETH", function () {
    it("rule: buy refuses PriceAboveLimit when the organizer raised the early price after it was shown", async function () {
      const { eth, organizer, fan, ethInput } = await networkHelpers.loadFixture(boundsFixture);
      const early = ETH_PRICE / 2n;
      const raised = (ETH_PRICE * 9n) / 10n;
      const shown = await raiseEarlyPrice(eth, organizer, ethInput.start, early, raised);

      // Even sending the new price, the bound the buyer gave (what it was shown) holds.
      await expect(eth.connect(fan).buy(1, 2, fan.address, 2n * shown, { value: 2n * raised }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(2n * raised, 2n * shown);
      await expect(eth.connect(fan).buy(1, 2, fan.address, 2n * raised - 1n, { value: 2n * raised }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(2n * raised, 2n * raised - 1n);
      expect((await eth.tier(1)).sold).to.equal(0n);
      expect(await ethers.provider.getBalance(await eth.getAddress())).to.equal(0n);

      // The exact total is accepted.
      await expect(eth.connect(fan).buy(1, 2, fan.address, 2n * raised, { value: 2n * raised }))
        .to.emit(eth, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 2n, 2n * raised);
    });

    it("rule: buy refuses PriceAboveLimit when the organizer raised a tier's price before its first sale", async function () {
      const { eth, organizer, fan, ethInput } = await networkHelpers.loadFixture(boundsFixture);
      const shown = (await eth.tier(2)).price;
      const raised = shown + ETH_PRICE;
      await eth.connect(organizer).updateTier(2, tierInput(ethInput, { name: "VIP", price: raised }));

      await expect(eth.connect(fan).buy(2, 1, fan.address, shown, { value: raised }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(raised, shown);
      await expect(eth.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ maxTotal: shown }), { value: raised }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(raised, shown);
      expect((await eth.tier(2)).sold).to.equal(0n);

      await expect(eth.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ maxTotal: raised }), { value: raised }))
        .to.emit(eth, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 2n, tokenIdOf(2, 1), 1n, raised);
    });

    it("rule: buyWith bounds the total over the quantity; a bound above the price still pays only the price", async function () {
      const { eth, organizer, fan, ethInput } = await networkHelpers.loadFixture(boundsFixture);
      const early = ETH_PRICE / 2n;
      const shown = await raiseEarlyPrice(eth, organizer, ethInput.start, early, ETH_PRICE);
      await expect(eth.connect(fan).buyWith(1, 3, fan.address, purchaseOptions({ maxTotal: 3n * shown }), { value: 3n * ETH_PRICE }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(3n * ETH_PRICE, 3n * shown);
      await expect(eth.connect(fan).buyWith(1, 3, fan.address, purchaseOptions({ maxTotal: 3n * ETH_PRICE }), { value: 3n * ETH_PRICE }))
        .to.emit(eth, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 3n, 3n * ETH_PRICE);
      // A looser bound: ETH must still be exact, so nobody overpays.
      await expect(eth.connect(fan).buy(1, 1, fan.address, 2n * ETH_PRICE, { value: 2n * ETH_PRICE }))
        .to.be.revertedWithCustomError(eth, "IncorrectPayment")
        .withArgs(ETH_PRICE, 2n * ETH_PRICE);
    });
  });

  describe("buy and buyWith in ERC-20 with a standing allowance", function () {
    it("rule: buy never charges more than maxTotal: refused, balance unchanged; the exact limit is charged exactly", async function () {
      const { usdcEvent, usdc, organizer, fan, usdcInput } = await networkHelpers.loadFixture(boundsFixture);
      const address = await usdcEvent.getAddress();
      const balance = await standingAllowance(usdc, usdcEvent, fan);
      const early = USDC_PRICE / 2n;
      const raised = USDC_PRICE * 2n;
      const shown = await raiseEarlyPrice(usdcEvent, organizer, usdcInput.start, early, raised);

      await expect(usdcEvent.connect(fan).buy(1, 2, fan.address, 2n * shown))
        .to.be.revertedWithCustomError(usdcEvent, "PriceAboveLimit")
        .withArgs(2n * raised, 2n * shown);
      expect(await usdc.balanceOf(fan.address)).to.equal(balance);
      expect(await usdc.balanceOf(address)).to.equal(0n);
      expect(await usdc.allowance(fan.address, address)).to.equal(ethers.MaxUint256);
      expect(await usdcEvent.balanceOf(fan.address)).to.equal(0n);

      const tx = usdcEvent.connect(fan).buy(1, 2, fan.address, 2n * raised);
      await expect(tx)
        .to.emit(usdcEvent, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 2n, 2n * raised);
      await expect(tx).to.changeTokenBalances(ethers, usdc, [fan, usdcEvent], [-(2n * raised), 2n * raised]);
    });

    it("rule: buyWith never charges more than options.maxTotal", async function () {
      const { usdcEvent, usdc, organizer, fan, usdcInput } = await networkHelpers.loadFixture(boundsFixture);
      const address = await usdcEvent.getAddress();
      const shown = (await usdcEvent.tier(2)).price;
      const raised = shown * 2n;
      await usdcEvent.connect(organizer).updateTier(2, tierInput(usdcInput, { name: "VIP", price: raised }));
      const balance = await standingAllowance(usdc, usdcEvent, fan);

      await expect(usdcEvent.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ maxTotal: shown })))
        .to.be.revertedWithCustomError(usdcEvent, "PriceAboveLimit")
        .withArgs(raised, shown);
      await expect(usdcEvent.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ maxTotal: raised - 1n })))
        .to.be.revertedWithCustomError(usdcEvent, "PriceAboveLimit")
        .withArgs(raised, raised - 1n);
      expect(await usdc.balanceOf(fan.address)).to.equal(balance);
      expect(await usdc.balanceOf(address)).to.equal(0n);

      await expect(usdcEvent.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ maxTotal: raised }))).to.changeTokenBalances(
        ethers,
        usdc,
        [fan, usdcEvent],
        [-raised, raised],
      );
    });
  });

  describe("buyListing", function () {
    const cap = (paid: bigint) => (paid * CAP_BPS) / BPS;

    it("rule: in ETH, a seller who raises the listing to the cap after it was shown is refused PriceAboveLimit", async function () {
      const { eth, seller, buyer } = await networkHelpers.loadFixture(boundsFixture);
      await eth.connect(seller).buy(1, 1, seller.address, ETH_PRICE, { value: ETH_PRICE });
      const tokenId = tokenIdOf(1, 1);
      await eth.connect(seller).list(tokenId, ETH_PRICE);
      const shown = (await eth.listing(tokenId)).price;
      await expect(eth.connect(seller).updateListing(tokenId, cap(ETH_PRICE)))
        .to.emit(eth, "ListingUpdated")
        .withArgs(tokenId, seller.address, cap(ETH_PRICE));

      await expect(eth.connect(buyer).buyListing(tokenId, shown, { value: cap(ETH_PRICE) }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(cap(ETH_PRICE), shown);
      await expect(eth.connect(buyer).buyListing(tokenId, shown, { value: shown }))
        .to.be.revertedWithCustomError(eth, "PriceAboveLimit")
        .withArgs(cap(ETH_PRICE), shown);
      expect(await eth.ownerOf(tokenId)).to.equal(seller.address);

      const tx = eth.connect(buyer).buyListing(tokenId, cap(ETH_PRICE), { value: cap(ETH_PRICE) });
      await expect(tx).to.emit(eth, "ResaleSold").withArgs(tokenId, cap(ETH_PRICE));
      await expect(tx).to.changeEtherBalance(ethers, buyer, -cap(ETH_PRICE));
      expect(await eth.ownerOf(tokenId)).to.equal(buyer.address);
    });

    it("rule: in ERC-20 with a standing allowance, the buyer is never charged above maxPrice", async function () {
      const { usdcEvent, usdc, seller, buyer } = await networkHelpers.loadFixture(boundsFixture);
      const address = await usdcEvent.getAddress();
      await usdc.mint(seller.address, USDC_PRICE);
      await usdc.connect(seller).approve(address, USDC_PRICE);
      await usdcEvent.connect(seller).buy(1, 1, seller.address, USDC_PRICE);
      const tokenId = tokenIdOf(1, 1);
      await usdcEvent.connect(seller).list(tokenId, USDC_PRICE);
      const balance = await standingAllowance(usdc, usdcEvent, buyer);
      const escrow = await usdc.balanceOf(address);
      const shown = (await usdcEvent.listing(tokenId)).price;

      await usdcEvent.connect(seller).updateListing(tokenId, cap(USDC_PRICE));
      await expect(usdcEvent.connect(buyer).buyListing(tokenId, shown))
        .to.be.revertedWithCustomError(usdcEvent, "PriceAboveLimit")
        .withArgs(cap(USDC_PRICE), shown);
      await expect(usdcEvent.connect(buyer).buyListing(tokenId, cap(USDC_PRICE) - 1n))
        .to.be.revertedWithCustomError(usdcEvent, "PriceAboveLimit")
        .withArgs(cap(USDC_PRICE), cap(USDC_PRICE) - 1n);
      expect(await usdc.balanceOf(buyer.address)).to.equal(balance);
      expect(await usdc.balanceOf(seller.address)).to.equal(0n);
      expect(await usdc.balanceOf(address)).to.equal(escrow);
      expect(await usdcEvent.ownerOf(tokenId)).to.equal(seller.address);

      // A lower price is paid as listed, whatever the bound.
      await usdcEvent.connect(seller).updateListing(tokenId, USDC_PRICE);
      await expect(usdcEvent.connect(buyer).buyListing(tokenId, cap(USDC_PRICE))).to.changeTokenBalance(
        ethers,
        usdc,
        buyer,
        -USDC_PRICE,
      );
      expect(await usdcEvent.ownerOf(tokenId)).to.equal(buyer.address);
    });

    it("rule: a same-block front-run (updateListing mined just before buyListing) makes the purchase fail, not overcharge", async function () {
      const { usdcEvent, usdc, seller, buyer } = await networkHelpers.loadFixture(boundsFixture);
      const address = await usdcEvent.getAddress();
      await usdc.mint(seller.address, USDC_PRICE);
      await usdc.connect(seller).approve(address, USDC_PRICE);
      await usdcEvent.connect(seller).buy(1, 1, seller.address, USDC_PRICE);
      const tokenId = tokenIdOf(1, 1);
      await usdcEvent.connect(seller).list(tokenId, USDC_PRICE);
      const balance = await standingAllowance(usdc, usdcEvent, buyer);

      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        // The buyer's transaction is pending; the seller sees it and outbids it.
        const buying = await usdcEvent.connect(buyer).buyListing(tokenId, USDC_PRICE, {
          gasLimit: 300_000n,
          maxFeePerGas: 10n ** 10n,
          maxPriorityFeePerGas: 10n ** 9n,
        });
        const raising = await usdcEvent.connect(seller).updateListing(tokenId, cap(USDC_PRICE), {
          gasLimit: 100_000n,
          maxFeePerGas: 10n ** 11n,
          maxPriorityFeePerGas: 5n * 10n ** 10n,
        });
        await ethers.provider.send("evm_mine", []);
        const [bought, raised] = await Promise.all([
          ethers.provider.getTransactionReceipt(buying.hash),
          ethers.provider.getTransactionReceipt(raising.hash),
        ]);
        expect(bought!.blockNumber).to.equal(raised!.blockNumber);
        expect(raised!.index).to.be.lessThan(bought!.index);
        expect(raised!.status).to.equal(1);
        expect(bought!.status).to.equal(0);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      expect(await usdc.balanceOf(buyer.address)).to.equal(balance);
      expect(await usdcEvent.ownerOf(tokenId)).to.equal(seller.address);
      // Why it failed, replayed on the new state.
      await expect(usdcEvent.connect(buyer).buyListing.staticCall(tokenId, USDC_PRICE))
        .to.be.revertedWithCustomError(usdcEvent, "PriceAboveLimit")
        .withArgs(cap(USDC_PRICE), USDC_PRICE);
    });
  });
});
