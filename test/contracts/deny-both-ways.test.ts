// Security review (issue 12), finding 6: the deny list stopped receiving, not sending. A denied
// holder moved its tickets to a clean wallet, which then listed them and claimed refunds to
// anyone. Now a denied address can neither send (transferFrom, safeTransferFrom, through an
// approved operator too), gift, list nor buy; its listings cannot be bought; after a cancel it is
// refunded only to itself. Undenying restores everything.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { IChainpassEvent, RefusingHolder } from "../../types/ethers-contracts/index.js";
import { Policy, createEvent, deployPlatform, eventInput, purchaseOptions, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
/** IEventTicketTypes' ListingState values used here. */
const ListingState = { Active: 0n, SellerDenied: 6n } as const;

describe("Deny list both ways (review finding 6)", function () {
  /** An Open event (every ERC-721 path exists) where `denied` holds tokens 1..3 and friend 4. */
  async function denyFixture(policy: number = Policy.Open) {
    const platform = await deployPlatform(ethers);
    const [, , organizer, denied, clean, friend, operator, buyer] = await ethers.getSigners();
    const input = await eventInput(ethers, { policy });
    const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input, { price: PRICE })]);
    await ticket.connect(denied).buy(1, 3, denied.address, 3n * PRICE, { value: 3n * PRICE });
    await ticket.connect(friend).buy(1, 1, friend.address, PRICE, { value: PRICE });
    return { ...platform, organizer, denied, clean, friend, operator, buyer, input, ticket };
  }
  const openFixture = () => denyFixture(Policy.Open);
  const cappedFixture = () => denyFixture(Policy.Capped);

  async function deny(ticket: IChainpassEvent, organizer: HardhatEthersSigner, account: string, yes = true) {
    await expect(ticket.connect(organizer).setDenied([account], yes)).to.emit(ticket, "DenyListUpdated").withArgs(account, yes);
    expect(await ticket.isDenied(account)).to.equal(yes);
  }

  it("rule: a denied holder cannot transferFrom or safeTransferFrom a ticket out", async function () {
    const { ticket, organizer, denied, clean } = await networkHelpers.loadFixture(openFixture);
    await deny(ticket, organizer, denied.address);
    const tokenId = tokenIdOf(1, 1);
    await expect(ticket.connect(denied).transferFrom(denied.address, clean.address, tokenId))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(denied)["safeTransferFrom(address,address,uint256)"](denied.address, clean.address, tokenId))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(
      ticket.connect(denied)["safeTransferFrom(address,address,uint256,bytes)"](denied.address, clean.address, tokenId, "0x"),
    )
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    expect(await ticket.ownerOf(tokenId)).to.equal(denied.address);
    expect(await ticket.balanceOf(clean.address)).to.equal(0n);
  });

  it("rule: a denied holder cannot gift (Open and Capped), and a Capped gift uses no allowance", async function () {
    for (const fixture of [openFixture, cappedFixture]) {
      const { ticket, organizer, denied, clean } = await networkHelpers.loadFixture(fixture);
      await deny(ticket, organizer, denied.address);
      await expect(ticket.connect(denied).gift(tokenIdOf(1, 1), clean.address))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(denied.address);
      expect(await ticket.ownerOf(tokenIdOf(1, 1))).to.equal(denied.address);
      expect(await ticket.giftsUsed(denied.address)).to.equal(0n);
    }
  });

  it("rule: a denied holder cannot list, nor change an existing listing", async function () {
    const { ticket, organizer, denied } = await networkHelpers.loadFixture(cappedFixture);
    await ticket.connect(denied).list(tokenIdOf(1, 2), PRICE);
    await deny(ticket, organizer, denied.address);
    await expect(ticket.connect(denied).list(tokenIdOf(1, 1), PRICE))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(denied).updateListing(tokenIdOf(1, 2), PRICE / 2n))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    expect(await ticket.listing(tokenIdOf(1, 1))).to.deep.equal([ethers.ZeroAddress, 0n]);
    expect(await ticket.listing(tokenIdOf(1, 2))).to.deep.equal([denied.address, PRICE]);
  });

  it("rule: an existing listing by a denied seller reads SellerDenied and cannot be bought", async function () {
    const { ticket, organizer, denied, buyer } = await networkHelpers.loadFixture(cappedFixture);
    const tokenId = tokenIdOf(1, 1);
    await ticket.connect(denied).list(tokenId, PRICE);
    expect(await ticket.listingState(tokenId)).to.equal(ListingState.Active);
    await deny(ticket, organizer, denied.address);
    expect(await ticket.listingState(tokenId)).to.equal(ListingState.SellerDenied);

    const before = await ethers.provider.getBalance(await ticket.getAddress());
    await expect(ticket.connect(buyer).buyListing(tokenId, PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    expect(await ticket.ownerOf(tokenId)).to.equal(denied.address);
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(before);
    expect(await ticket.accruedRoyalties()).to.deep.equal([0n, 0n]);
  });

  it("rule: an approved operator cannot move, gift or refund-away a denied holder's ticket", async function () {
    const { ticket, organizer, denied, clean, operator } = await networkHelpers.loadFixture(openFixture);
    // Approvals given before the denial (a single-token one and an operator one).
    await ticket.connect(denied).approve(clean.address, tokenIdOf(1, 1));
    await ticket.connect(denied).setApprovalForAll(operator.address, true);
    await deny(ticket, organizer, denied.address);

    await expect(ticket.connect(clean).transferFrom(denied.address, clean.address, tokenIdOf(1, 1)))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(operator).transferFrom(denied.address, operator.address, tokenIdOf(1, 2)))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(
      ticket.connect(operator)["safeTransferFrom(address,address,uint256)"](denied.address, clean.address, tokenIdOf(1, 2)),
    )
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(operator).gift(tokenIdOf(1, 3), clean.address))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    for (const serial of [1, 2, 3]) expect(await ticket.ownerOf(tokenIdOf(1, serial))).to.equal(denied.address);

    // After a cancel the operator cannot take the refund either: claimRefund pays the caller.
    await ticket.connect(organizer).cancel();
    await expect(ticket.connect(operator).claimRefund(tokenIdOf(1, 2)))
      .to.be.revertedWithCustomError(ticket, "RefundRecipientNotAllowed")
      .withArgs(denied.address, operator.address);
    await expect(ticket.connect(operator).claimRefundTo(tokenIdOf(1, 2), clean.address))
      .to.be.revertedWithCustomError(ticket, "RefundRecipientNotAllowed")
      .withArgs(denied.address, clean.address);
    // Refunding the holder itself is allowed to anyone it approved: the money goes to the holder.
    const tx = ticket.connect(operator).claimRefundTo(tokenIdOf(1, 2), denied.address);
    await expect(tx).to.emit(ticket, "Refunded").withArgs(tokenIdOf(1, 2), denied.address, denied.address, PRICE);
    await expect(tx).to.changeEtherBalances(ethers, [denied, operator], [PRICE, 0n]);
  });

  it("rule: a denied address cannot buy, for itself or for anyone, nor be bought for", async function () {
    const { ticket, organizer, denied, friend, clean } = await networkHelpers.loadFixture(cappedFixture);
    await ticket.connect(friend).list(tokenIdOf(1, 4), PRICE);
    await deny(ticket, organizer, denied.address);
    await expect(ticket.connect(denied).buy(1, 1, denied.address, PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(denied).buy(1, 1, clean.address, PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(denied).buyWith(1, 1, clean.address, purchaseOptions({ maxTotal: PRICE }), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(denied).buyListing(tokenIdOf(1, 4), PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    // Nor can a clean wallet buy for it, or give it a ticket.
    await expect(ticket.connect(clean).buy(1, 1, denied.address, PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(friend).gift(tokenIdOf(1, 4), denied.address))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    expect((await ticket.tier(1)).sold).to.equal(4n);
    expect(await ticket.ownerOf(tokenIdOf(1, 4))).to.equal(friend.address);
  });

  it("rule: after a cancel a denied holder is refunded only to itself (claimRefund works, claimRefundTo another does not)", async function () {
    const { ticket, organizer, denied, clean, friend } = await networkHelpers.loadFixture(openFixture);
    await deny(ticket, organizer, denied.address);
    await ticket.connect(organizer).cancel();

    await expect(ticket.connect(denied).claimRefundTo(tokenIdOf(1, 1), clean.address))
      .to.be.revertedWithCustomError(ticket, "RefundRecipientNotAllowed")
      .withArgs(denied.address, clean.address);
    expect(await ticket.ownerOf(tokenIdOf(1, 1))).to.equal(denied.address);

    const own = ticket.connect(denied).claimRefund(tokenIdOf(1, 1));
    await expect(own).to.emit(ticket, "Refunded").withArgs(tokenIdOf(1, 1), denied.address, denied.address, PRICE);
    await expect(own).to.changeEtherBalances(ethers, [denied, ticket], [PRICE, -PRICE]);
    await expect(ticket.connect(denied).claimRefundTo(tokenIdOf(1, 2), denied.address))
      .to.emit(ticket, "Refunded")
      .withArgs(tokenIdOf(1, 2), denied.address, denied.address, PRICE);

    // A clean holder cannot send its refund to a denied address either.
    await expect(ticket.connect(friend).claimRefundTo(tokenIdOf(1, 4), denied.address))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(denied.address);
    await expect(ticket.connect(friend).claimRefundTo(tokenIdOf(1, 4), clean.address))
      .to.emit(ticket, "Refunded")
      .withArgs(tokenIdOf(1, 4), friend.address, clean.address, PRICE);
  });

  it("rule: a denied account collects its credits only to itself (withdrawCreditsTo another is refused)", async function () {
    const { ticket, organizer, friend, clean } = await networkHelpers.loadFixture(openFixture);
    const holder = (await ethers.deployContract("RefusingHolder", [await ticket.getAddress()])) as unknown as RefusingHolder;
    const holderAddress = await holder.getAddress();
    await holder.buy(1, 1, { value: PRICE });
    const tokenId = tokenIdOf(1, 5);
    await holder.list(tokenId, PRICE);
    await ticket.connect(friend).buyListing(tokenId, PRICE, { value: PRICE }); // the holder refuses ETH: credited
    const credit = await ticket.credits(holderAddress);
    expect(credit).to.be.greaterThan(0n);

    await deny(ticket, organizer, holderAddress);
    await expect(holder.withdrawCreditsTo(clean.address)).to.be.revertedWithCustomError(ticket, "AddressDenied").withArgs(holderAddress);
    expect(await ticket.credits(holderAddress)).to.equal(credit);
    await holder.setAccepting(true);
    await expect(holder.withdrawCredits()).to.emit(ticket, "CreditsWithdrawn").withArgs(holderAddress, holderAddress, credit);
  });

  it("rule: undenying restores sending, gifting, listing, selling, buying and refunds to another address", async function () {
    const { ticket, organizer, denied, clean, friend, operator, buyer } = await networkHelpers.loadFixture(openFixture);
    await ticket.connect(denied).list(tokenIdOf(1, 3), PRICE);
    await ticket.connect(denied).setApprovalForAll(operator.address, true);
    await deny(ticket, organizer, denied.address);
    expect(await ticket.listingState(tokenIdOf(1, 3))).to.equal(ListingState.SellerDenied);
    await deny(ticket, organizer, denied.address, false);

    // The listing made before the denial is live again.
    expect(await ticket.listingState(tokenIdOf(1, 3))).to.equal(ListingState.Active);
    await expect(ticket.connect(buyer).buyListing(tokenIdOf(1, 3), PRICE, { value: PRICE }))
      .to.emit(ticket, "ResaleSold")
      .withArgs(tokenIdOf(1, 3), PRICE);
    await ticket.connect(denied).transferFrom(denied.address, clean.address, tokenIdOf(1, 1));
    expect(await ticket.ownerOf(tokenIdOf(1, 1))).to.equal(clean.address);
    await ticket.connect(denied).gift(tokenIdOf(1, 2), friend.address);
    expect(await ticket.ownerOf(tokenIdOf(1, 2))).to.equal(friend.address);
    await expect(ticket.connect(denied).buy(1, 2, denied.address, 2n * PRICE, { value: 2n * PRICE }))
      .to.emit(ticket, "TicketsPurchased")
      .withArgs(denied.address, denied.address, 1n, tokenIdOf(1, 5), 2n, 2n * PRICE);
    await ticket.connect(operator).transferFrom(denied.address, clean.address, tokenIdOf(1, 6));
    expect(await ticket.ownerOf(tokenIdOf(1, 6))).to.equal(clean.address);
    await expect(ticket.connect(denied).list(tokenIdOf(1, 5), PRICE))
      .to.emit(ticket, "Listed")
      .withArgs(tokenIdOf(1, 5), denied.address, PRICE);
    await ticket.connect(denied).cancelListing(tokenIdOf(1, 5));

    await ticket.connect(organizer).cancel();
    await expect(ticket.connect(denied).claimRefundTo(tokenIdOf(1, 5), clean.address))
      .to.emit(ticket, "Refunded")
      .withArgs(tokenIdOf(1, 5), denied.address, clean.address, PRICE);
  });
});
