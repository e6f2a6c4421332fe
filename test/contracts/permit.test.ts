// One signature for stablecoins: an EIP-2612 permit and the purchase in one transaction
// (`multicall([permitCurrency, buy])`), for primary sales and the resale market; a permit someone
// sent first (griefing) does not stop the purchase; a permit that fails without an allowance
// behind it is refused by name; an ETH event has no permit to take.
import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, getAddress, type Address, type Hex } from "viem";
import { hardhat } from "viem/chains";

import { permitSignatureParts, permitTypedData, readPermitSupport, type Permit } from "../../lib/permit.js";
import type { IChainpassEvent, MockUSDC } from "../../types/ethers-contracts/index.js";
import { ZERO, buyTickets, createEvent, deployPlatform, eventInput, tierInput, tokenIdOf, typedDataSigner } from "../helpers/fixtures.js";

const { ethers, networkHelpers, provider } = await network.create();
const viemClient = createPublicClient({ chain: hardhat, transport: custom(provider) });
const PRICE = 18_500_000n; // 18.50 USDC

async function permitFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, griefer] = await ethers.getSigners();
  const usdc = platform.usdc;
  const input = await eventInput(ethers, { currency: await usdc.getAddress() });
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input, { name: "Adult", price: PRICE, supply: 50 })]);
  const ethInput = await eventInput(ethers, { currency: ZERO });
  const ethTicket = await createEvent(ethers, platform.factory, organizer, ethInput, [tierInput(ethInput, { name: "Adult", price: 10n ** 16n, supply: 5 })]);
  return { ...platform, usdc, organizer, fan, friend, griefer, ticket, ethTicket };
}

/** `owner`'s permit for `spender` to take `value`, signed as checkout signs it (lib/permit.ts). */
async function signPermit(usdc: MockUSDC, owner: Awaited<ReturnType<typeof ethers.getSigners>>[number], spender: string, value: bigint, deadline?: bigint) {
  const support = await readPermitSupport(viemClient, getAddress(await usdc.getAddress()), getAddress(owner.address));
  expect(support, "MockUSDC has EIP-2612 permits").to.not.equal(undefined);
  const permit: Permit = {
    owner: getAddress(owner.address),
    spender: getAddress(spender),
    value,
    nonce: support!.nonce,
    deadline: deadline ?? BigInt(await networkHelpers.time.latest()) + 3600n,
  };
  const signature = await typedDataSigner(owner).signTypedData(permitTypedData(support!.domain, permit));
  return { permit, ...permitSignatureParts(signature as Hex) };
}

function permitCall(ticket: IChainpassEvent, signed: Awaited<ReturnType<typeof signPermit>>) {
  return ticket.interface.encodeFunctionData("permitCurrency", [signed.permit.value, signed.permit.deadline, signed.v, signed.r, signed.s]);
}

describe("Permits: one signature, one transaction for a purchase in a stablecoin", function () {
  it("reads the token's permit domain (ERC-5267) and the owner's nonce", async function () {
    const { usdc, ticket, fan } = await networkHelpers.loadFixture(permitFixture);
    const support = await readPermitSupport(viemClient, getAddress(await usdc.getAddress()), getAddress(fan.address));
    expect(support).to.deep.equal({
      domain: { name: "Mock USD Coin", version: "1", chainId: 31337, verifyingContract: getAddress(await usdc.getAddress()) },
      nonce: 0n,
    });
    // A token without permits (here: the event contract itself, no `nonces`) says so.
    expect(await readPermitSupport(viemClient, (await ticket.getAddress()) as Address, getAddress(fan.address))).to.equal(undefined);
  });

  it("buys with a permit and no approve: exact amount taken, nothing left approved, the nonce spent", async function () {
    const { usdc, ticket, fan, friend } = await networkHelpers.loadFixture(permitFixture);
    await usdc.connect(fan).mint(fan.address, 2n * PRICE);
    const event = await ticket.getAddress();
    expect(await usdc.allowance(fan.address, event)).to.equal(0n);
    const signed = await signPermit(usdc, fan, event, 2n * PRICE);
    const buy = ticket.interface.encodeFunctionData("buy", [1, 2, friend.address, 2n * PRICE]);
    const tx = ticket.connect(fan).multicall([permitCall(ticket, signed), buy]);
    await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(fan.address, friend.address, 1, tokenIdOf(1, 1), 2, 2n * PRICE);
    await expect(tx).to.changeTokenBalances(ethers, usdc, [fan, ticket], [-2n * PRICE, 2n * PRICE]);
    expect(await ticket.ownerOf(tokenIdOf(1, 2))).to.equal(friend.address);
    expect(await usdc.allowance(fan.address, event)).to.equal(0n);
    expect(await usdc.nonces(fan.address)).to.equal(1n);
  });

  it("still buys when someone sent the signed permit first (griefing), since the allowance is there", async function () {
    const { usdc, ticket, fan, griefer } = await networkHelpers.loadFixture(permitFixture);
    await usdc.connect(fan).mint(fan.address, PRICE);
    const event = await ticket.getAddress();
    const signed = await signPermit(usdc, fan, event, PRICE);
    // Copied from the mempool and sent to the token directly: the permit's nonce is now used.
    await usdc.connect(griefer).permit(fan.address, event, PRICE, signed.permit.deadline, signed.v, signed.r, signed.s);
    const buy = ticket.interface.encodeFunctionData("buy", [1, 1, fan.address, PRICE]);
    await expect(ticket.connect(fan).multicall([permitCall(ticket, signed), buy])).to.emit(ticket, "TicketsPurchased");
  });

  it("refuses by name a permit that fails with no allowance behind it: another signer, expired, another event's", async function () {
    const { usdc, ticket, ethTicket, fan, friend, organizer } = await networkHelpers.loadFixture(permitFixture);
    await usdc.connect(fan).mint(fan.address, PRICE);
    const event = await ticket.getAddress();
    const currency = await usdc.getAddress();
    const buy = ticket.interface.encodeFunctionData("buy", [1, 1, fan.address, PRICE]);

    // The friend signed, the fan sends: the token recovers another owner.
    const notMine = await signPermit(usdc, friend, event, PRICE);
    await expect(ticket.connect(fan).multicall([permitCall(ticket, notMine), buy]))
      .to.be.revertedWithCustomError(ticket, "CurrencyPermitFailed")
      .withArgs(currency, fan.address, PRICE);

    const expired = await signPermit(usdc, fan, event, PRICE, BigInt(await networkHelpers.time.latest()) - 1n);
    await expect(ticket.connect(fan).multicall([permitCall(ticket, expired), buy])).to.be.revertedWithCustomError(ticket, "CurrencyPermitFailed");

    // Signed for the organizer's address as spender, presented to the event: not this event's.
    const elsewhere = await signPermit(usdc, fan, organizer.address, PRICE);
    await expect(ticket.connect(fan).multicall([permitCall(ticket, elsewhere), buy])).to.be.revertedWithCustomError(ticket, "CurrencyPermitFailed");
    expect(await usdc.balanceOf(fan.address), "nothing was taken").to.equal(PRICE);

    // An ETH event has no currency to permit.
    const ethPermit = await signPermit(usdc, fan, await ethTicket.getAddress(), PRICE);
    await expect(ethTicket.connect(fan).permitCurrency(PRICE, ethPermit.permit.deadline, ethPermit.v, ethPermit.r, ethPermit.s))
      .to.be.revertedWithCustomError(ethTicket, "CurrencyPermitFailed")
      .withArgs(ZERO, fan.address, PRICE);
  });

  it("buys a resale listing with a permit too, as the buyer (multicall keeps msg.sender)", async function () {
    const { usdc, ticket, fan, friend } = await networkHelpers.loadFixture(permitFixture);
    await (await buyTickets(ticket, fan, 1, 1, fan.address, usdc)).wait();
    const token = tokenIdOf(1, 1);
    await (await ticket.connect(fan).list(token, PRICE)).wait();
    await usdc.connect(friend).mint(friend.address, PRICE);
    const signed = await signPermit(usdc, friend, await ticket.getAddress(), PRICE);
    const buyListing = ticket.interface.encodeFunctionData("buyListing", [token, PRICE]);
    await expect(ticket.connect(friend).multicall([permitCall(ticket, signed), buyListing])).to.emit(ticket, "Transfer").withArgs(fan.address, friend.address, token);
    expect(await ticket.ownerOf(token)).to.equal(friend.address);
  });

  it("multicall takes no ETH: an ETH purchase is sent on its own", async function () {
    const { ethTicket, fan } = await networkHelpers.loadFixture(permitFixture);
    const price = 10n ** 16n;
    const buy = ethTicket.interface.encodeFunctionData("buy", [1, 1, fan.address, price]);
    await expect(fan.sendTransaction({ to: await ethTicket.getAddress(), data: ethTicket.interface.encodeFunctionData("multicall", [[buy]]), value: price })).to.revert(ethers);
    // Without ETH inside, the purchase inside refuses the payment by name.
    await expect(ethTicket.connect(fan).multicall([buy])).to.be.revertedWithCustomError(ethTicket, "IncorrectPayment").withArgs(price, 0n);
  });
});
