// Security review (issue 12), finding 8: the presale proof was bound to the recipient, not the
// buyer, so anyone could use up a listed wallet's allowance by buying for it. Now the leaf is the
// buyer's ([msg.sender, allowance] in a StandardMerkleTree): a listed wallet may buy for anyone,
// spending its own allowance; nobody else can use its proof or spend its allowance.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { DAY, createEvent, deployPlatform, eventInput, purchaseOptions, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
const noOptions = { earlyPrice: 0n, earlyUntil: 0, entryStart: 0, entryEnd: 0, presaleStart: 0, presaleRoot: ethers.ZeroHash };

describe("Presale binding (review finding 8)", function () {
  /** Tier 1 in presale (public sale in 3 days), allowlist: fan 2, friend 1. */
  async function presaleFixture(maxPerWallet = 0) {
    const platform = await deployPlatform(ethers);
    const [, , organizer, fan, friend, stranger, recipient] = await ethers.getSigners();
    const now = await networkHelpers.time.latest();
    const input = await eventInput(ethers);
    const tier = tierInput(input, { price: PRICE, saleStart: now + 10 * DAY, maxPerWallet });
    const ticket = await createEvent(ethers, platform.factory, organizer, input, [tier]);
    const tree = StandardMerkleTree.of(
      [
        [fan.address, "2"],
        [friend.address, "1"],
      ],
      ["address", "uint256"],
    );
    const presaleStart = tier.saleStart - 3 * DAY;
    await ticket.connect(organizer).setTierOptions(1, { ...noOptions, presaleStart, presaleRoot: tree.root });
    await networkHelpers.time.increaseTo(presaleStart);
    /** The proof and allowance of `listed`'s leaf, as the presale page gives them to that wallet. */
    const proofOf = (listed: HardhatEthersSigner, quantity = 1) => {
      for (const [i, [address, allowance]] of tree.entries()) {
        if (address === listed.address) {
          return purchaseOptions({ proof: tree.getProof(i), allowance: BigInt(allowance), maxTotal: PRICE * BigInt(quantity) });
        }
      }
      throw new Error(`${listed.address} is not on the allowlist`);
    };
    return { ...platform, organizer, fan, friend, stranger, recipient, input, tier, ticket, tree, proofOf };
  }
  const unlimitedFixture = () => presaleFixture(0);
  const limitedFixture = () => presaleFixture(5);
  const oneEachFixture = () => presaleFixture(1);

  it("rule: a listed wallet can buy for another recipient, spending its own allowance", async function () {
    const { ticket, fan, recipient, proofOf } = await networkHelpers.loadFixture(unlimitedFixture);
    await expect(ticket.connect(fan).buyWith(1, 2, recipient.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.emit(ticket, "TicketsPurchased")
      .withArgs(fan.address, recipient.address, 1n, tokenIdOf(1, 1), 2n, 2n * PRICE);
    expect(await ticket.balanceOf(recipient.address)).to.equal(2n);
    expect(await ticket.balanceOf(fan.address)).to.equal(0n);
    // The allowance spent is the buyer's; the recipient's record is untouched.
    expect(await ticket.purchased(1, fan.address)).to.equal(2n);
    expect(await ticket.purchased(1, recipient.address)).to.equal(0n);
    await expect(ticket.connect(fan).buyWith(1, 1, fan.address, proofOf(fan), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "PresaleAllowanceExceeded")
      .withArgs(1n, fan.address, 1n, 0n);
  });

  it("rule: a stranger cannot use a listed wallet's proof, to buy for that wallet or for itself (NotOnAllowlist with the stranger)", async function () {
    const { ticket, fan, stranger, proofOf } = await networkHelpers.loadFixture(unlimitedFixture);
    await expect(ticket.connect(stranger).buyWith(1, 1, fan.address, proofOf(fan), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, stranger.address);
    await expect(ticket.connect(stranger).buyWith(1, 2, fan.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, stranger.address);
    await expect(ticket.connect(stranger).buyWith(1, 1, stranger.address, proofOf(fan), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, stranger.address);
    // Nor without a proof, by the plain buy.
    await expect(ticket.connect(stranger).buy(1, 1, fan.address, PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, stranger.address);
    expect((await ticket.tier(1)).sold).to.equal(0n);
  });

  it("rule: a stranger cannot use up a listed wallet's allowance: the wallet still buys all of it", async function () {
    const { ticket, fan, stranger, proofOf } = await networkHelpers.loadFixture(unlimitedFixture);
    await expect(ticket.connect(stranger).buyWith(1, 2, fan.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, stranger.address);
    expect(await ticket.purchased(1, fan.address)).to.equal(0n);
    await expect(ticket.connect(fan).buyWith(1, 2, fan.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.emit(ticket, "TicketsPurchased")
      .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 2n, 2n * PRICE);
    expect(await ticket.purchased(1, fan.address)).to.equal(2n);
  });

  it("rule: a listed wallet cannot use another listed wallet's proof (and its larger allowance)", async function () {
    const { ticket, fan, friend, proofOf } = await networkHelpers.loadFixture(unlimitedFixture);
    await expect(ticket.connect(friend).buyWith(1, 2, friend.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, friend.address);
    await expect(ticket.connect(friend).buyWith(1, 2, fan.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, friend.address);
    // Claiming a larger allowance with its own proof fails the proof.
    await expect(ticket.connect(friend).buyWith(1, 2, friend.address, { ...proofOf(friend, 2), allowance: 2n }, { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
      .withArgs(1n, friend.address);
  });

  it("rule: exhausting the allowance reports PresaleAllowanceExceeded(tier, buyer, requested, remaining)", async function () {
    const { ticket, fan, friend, recipient, proofOf } = await networkHelpers.loadFixture(unlimitedFixture);
    await expect(ticket.connect(fan).buyWith(1, 3, fan.address, proofOf(fan, 3), { value: 3n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "PresaleAllowanceExceeded")
      .withArgs(1n, fan.address, 3n, 2n);
    await ticket.connect(fan).buyWith(1, 1, recipient.address, proofOf(fan), { value: PRICE });
    await expect(ticket.connect(fan).buyWith(1, 2, fan.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "PresaleAllowanceExceeded")
      .withArgs(1n, fan.address, 2n, 1n);
    await ticket.connect(fan).buyWith(1, 1, fan.address, proofOf(fan), { value: PRICE });
    await expect(ticket.connect(fan).buyWith(1, 1, recipient.address, proofOf(fan), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "PresaleAllowanceExceeded")
      .withArgs(1n, fan.address, 1n, 0n);
    // Another listed wallet's allowance is its own.
    await ticket.connect(friend).buyWith(1, 1, fan.address, proofOf(friend), { value: PRICE });
    await expect(ticket.connect(friend).buyWith(1, 1, friend.address, proofOf(friend), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "PresaleAllowanceExceeded")
      .withArgs(1n, friend.address, 1n, 0n);
    expect(await ticket.balanceOf(fan.address)).to.equal(2n);
    expect(await ticket.balanceOf(recipient.address)).to.equal(1n);
  });

  it("rule: buying for another listed wallet does not spend that wallet's allowance (no wallet limit)", async function () {
    const { ticket, fan, friend, proofOf } = await networkHelpers.loadFixture(unlimitedFixture);
    await ticket.connect(fan).buyWith(1, 2, friend.address, proofOf(fan, 2), { value: 2n * PRICE });
    await expect(ticket.connect(friend).buyWith(1, 1, friend.address, proofOf(friend), { value: PRICE }))
      .to.emit(ticket, "TicketsPurchased")
      .withArgs(friend.address, friend.address, 1n, tokenIdOf(1, 3), 1n, PRICE);
    expect(await ticket.balanceOf(friend.address)).to.equal(3n);
  });

  // Found while writing this file: with a per-wallet limit, the tickets fan bought for friend were
  // counted in the same record friend's allowance is checked against. They are now counted apart
  // (ACCOUNT_PRESALE_RECEIVED), against friend's wallet limit only.
  it("rule: buying for another listed wallet does not spend that wallet's allowance (with a wallet limit)", async function () {
    const { ticket, fan, friend, proofOf } = await networkHelpers.loadFixture(limitedFixture);
    // fan spends its own allowance of 2 on friend; the tier's limit of 5 per wallet counts them for friend.
    await ticket.connect(fan).buyWith(1, 2, friend.address, proofOf(fan, 2), { value: 2n * PRICE });
    expect(await ticket.purchased(1, fan.address)).to.be.greaterThanOrEqual(2n);
    // friend's own presale allowance (1) was not friend's to lose.
    await expect(ticket.connect(friend).buyWith(1, 1, friend.address, proofOf(friend), { value: PRICE }))
      .to.emit(ticket, "TicketsPurchased")
      .withArgs(friend.address, friend.address, 1n, tokenIdOf(1, 3), 1n, PRICE);
  });

  it("rule: the per-wallet limit stays the recipient's when a listed wallet buys for it", async function () {
    const { ticket, fan, recipient, proofOf } = await networkHelpers.loadFixture(oneEachFixture);
    await expect(ticket.connect(fan).buyWith(1, 2, recipient.address, proofOf(fan, 2), { value: 2n * PRICE }))
      .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
      .withArgs(1n, recipient.address, 2n, 1n);
    await ticket.connect(fan).buyWith(1, 1, recipient.address, proofOf(fan), { value: PRICE });
    expect(await ticket.purchased(1, recipient.address)).to.equal(1n);
    await expect(ticket.connect(fan).buyWith(1, 1, recipient.address, proofOf(fan), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
      .withArgs(1n, recipient.address, 1n, 0n);
  });
});
