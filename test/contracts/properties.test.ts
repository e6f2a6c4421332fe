// Seeded model-based property test. A random sequence of buys (some with a price bound below the
// price), transfers, gifts, check-ins, deny-list changes, resale listings and purchases (some bound
// below the listing price), a cancellation and refunds runs against the contract and against a
// small model of it. It runs inside the check-in window (from the start less the check-in lead). The model predicts each step's outcome (including
// which custom error a refused step reverts with), and after every step the invariants are checked:
//   - sold <= supply per tier, and sold matches the model;
//   - the contract's balance equals the refunds owed for live tokens plus the resale royalties
//     and fees it holds (so it always covers every refund), and equals all money paid in less all
//     money paid out (money is conserved);
//   - no resale ever exceeds its ticket's cap;
//   - no token is refunded twice;
//   - per-wallet limits hold.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { IChainpassEvent } from "../../types/ethers-contracts/index.js";
import {
  CHECK_IN_LEAD,
  DAY,
  PLATFORM_FEE_BPS,
  Policy,
  SETTLEMENT_DELAY,
  ZERO,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";
import { prng } from "../helpers/prng.js";

const { ethers, networkHelpers } = await network.create();

interface TierModel {
  price: bigint;
  supply: number;
  sold: number;
  maxPerWallet: number;
}

interface TokenModel {
  holder: string;
  tierId: number;
  checkedIn: boolean;
}

type Expected = { ok: true } | { error: string; args?: unknown[] };

const scenarios = [
  { seed: 0x5eed_0001, policy: Policy.Open, erc20: false, steps: 320 },
  { seed: 0x5eed_0002, policy: Policy.Capped, erc20: true, steps: 320 },
];

for (const scenario of scenarios) {
  const label = `${scenario.erc20 ? "USDC" : "ETH"}, ${scenario.policy === Policy.Open ? "Open" : "Capped"}`;

  describe(`Property: seeded random sequence (${label}, seed ${scenario.seed.toString(16)})`, function () {
    it(`keeps supply, escrow, refund and wallet-limit invariants over ${scenario.steps} steps`, async function () {
      const rand = prng(scenario.seed);
      const { factory, usdc } = await deployPlatform(ethers);
      const signers = await ethers.getSigners();
      const [, , organizer, gate] = signers;
      const fans = signers.slice(4, 10);
      const now = await networkHelpers.time.latest();
      // The run happens on the day, so gates can admit: a day-long event whose tiers sell until it ends.
      const input = await eventInput(ethers, {
        currency: scenario.erc20 ? await usdc.getAddress() : ZERO,
        policy: scenario.policy,
        giftsPerHolder: 2,
        start: now + 30 * DAY,
        end: now + 31 * DAY,
      });
      const unit = scenario.erc20 ? 1_000_000n : 10n ** 15n;
      const tiers: TierModel[] = [
        { price: 37n * unit + 3n, supply: 40, sold: 0, maxPerWallet: 0 },
        { price: 19n * unit + 1n, supply: 25, sold: 0, maxPerWallet: 3 },
        { price: 101n * unit, supply: 12, sold: 0, maxPerWallet: 2 },
      ];
      const ticket = await createEvent(
        ethers,
        factory,
        organizer,
        input,
        tiers.map((t, i) =>
          tierInput(input, {
            name: `T${i + 1}`,
            price: t.price,
            supply: t.supply,
            maxPerWallet: t.maxPerWallet,
            saleEnd: input.end,
          }),
        ),
      );
      await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
      await networkHelpers.time.increaseTo(input.start - CHECK_IN_LEAD);
      const ticketAddress = await ticket.getAddress();
      if (scenario.erc20) {
        for (const fan of fans) {
          await usdc.connect(fan).mint(fan.address, 10n ** 15n);
          await usdc.connect(fan).approve(ticketAddress, ethers.MaxUint256);
        }
      }

      // ---------------------------------------------------------------- the model
      const tokens = new Map<bigint, TokenModel>();
      const refunded = new Set<bigint>();
      const purchased = new Map<string, number>();
      const giftsUsed = new Map<string, number>();
      const denied = new Set<string>();
      let cancelled = false;
      let paidIn = 0n;
      let paidOut = 0n;
      let royalties = 0n;
      let fees = 0n;
      const listings = new Map<bigint, { seller: string; price: bigint }>();
      // Every ticket here is bought at its tier's price, which is what its resale cap is based on.
      const capOf = (tierId: number) => (tiers[tierId - 1].price * 11_000n) / 10_000n;
      const counts = { ok: 0, refused: 0 } as Record<string, number>;

      const key = (tierId: number, wallet: string) => `${tierId}:${wallet}`;
      const owed = () => [...tokens.values()].reduce((sum, t) => sum + tiers[t.tierId - 1].price, 0n);
      const balance = () => (scenario.erc20 ? usdc.balanceOf(ticketAddress) : ethers.provider.getBalance(ticketAddress));

      async function expectOutcome(label: string, call: () => Promise<unknown>, expected: Expected) {
        if ("ok" in expected) {
          await call();
          counts.ok++;
          counts[label] = (counts[label] ?? 0) + 1;
        } else {
          const assertion = expect(call()).to.be.revertedWithCustomError(ticket, expected.error);
          await (expected.args ? assertion.withArgs(...expected.args) : assertion);
          counts.refused++;
          counts[`${label}:${expected.error}`] = (counts[`${label}:${expected.error}`] ?? 0) + 1;
        }
      }

      // ---------------------------------------------------------------- actions
      async function buy() {
        const tierId = rand.pick([1, 1, 1, 2, 2, 3]);
        const t = tiers[tierId - 1];
        const quantity = rand.int(1, 4);
        const buyer = rand.pick(fans);
        const recipient = rand.chance(0.8) ? buyer : rand.pick(fans);
        const bought = purchased.get(key(tierId, recipient.address)) ?? 0;
        const remaining = t.supply - t.sold;
        let expected: Expected = { ok: true };
        if (cancelled) expected = { error: "EventIsCancelled" };
        else if (denied.has(buyer.address)) expected = { error: "AddressDenied", args: [buyer.address] };
        else if (quantity > remaining) expected = { error: "SoldOut", args: [tierId, quantity, remaining] };
        else if (t.maxPerWallet && bought + quantity > t.maxPerWallet) {
          const left = Math.max(t.maxPerWallet - bought, 0);
          expected = { error: "WalletLimitExceeded", args: [tierId, recipient.address, quantity, left] };
        } else if (denied.has(recipient.address)) expected = { error: "AddressDenied", args: [recipient.address] };
        const total = t.price * BigInt(quantity);
        // Now and then the buyer accepts less than the price (it changed since it was shown).
        const maxTotal = rand.chance(0.1) ? total - BigInt(rand.int(1, 1000)) : total;
        if ("ok" in expected && maxTotal < total) expected = { error: "PriceAboveLimit", args: [total, maxTotal] };
        await expectOutcome(
          "buy",
          () =>
            ticket
              .connect(buyer)
              .buy(tierId, quantity, recipient.address, maxTotal, scenario.erc20 ? {} : { value: total }),
          expected,
        );
        if ("ok" in expected) {
          for (let i = 1; i <= quantity; i++) {
            tokens.set(tokenIdOf(tierId, t.sold + i), { holder: recipient.address, tierId, checkedIn: false });
          }
          t.sold += quantity;
          if (t.maxPerWallet) purchased.set(key(tierId, recipient.address), bought + quantity);
          paidIn += total;
        }
      }

      function randomLiveToken() {
        const live = [...tokens.keys()];
        return live.length ? rand.pick(live) : undefined;
      }

      async function move(asGift: boolean) {
        const tokenId = randomLiveToken();
        if (tokenId === undefined) return;
        const token = tokens.get(tokenId)!;
        const from = fans.find((f) => f.address === token.holder)!;
        const to = rand.pick(fans.filter((f) => f !== from));
        const used = giftsUsed.get(from.address) ?? 0;
        const capped = scenario.policy === Policy.Capped;
        let expected: Expected = { ok: true };
        if (asGift && capped && used >= 2) expected = { error: "GiftAllowanceExhausted", args: [from.address, used, 2] };
        else if (denied.has(to.address)) expected = { error: "AddressDenied", args: [to.address] };
        else if (denied.has(from.address)) expected = { error: "AddressDenied", args: [from.address] };
        else if (token.checkedIn) expected = { error: "TicketAlreadyUsed", args: [tokenId, input.end] };
        else if (capped && !asGift) expected = { error: "TransferRestricted", args: [tokenId] };
        await expectOutcome(
          asGift ? "gift" : "transfer",
          () =>
            asGift
              ? ticket.connect(from).gift(tokenId, to.address)
              : ticket.connect(from).transferFrom(from.address, to.address, tokenId),
          expected,
        );
        if ("ok" in expected) {
          token.holder = to.address;
          if (asGift) listings.delete(tokenId); // gifts delete the listing; plain moves leave it stale
          if (asGift && capped) giftsUsed.set(from.address, used + 1);
        }
      }

      async function checkIn() {
        const ids = Array.from({ length: rand.int(1, 6) }, () =>
          rand.chance(0.85) && tokens.size ? randomLiveToken()! : tokenIdOf(rand.int(1, 3), rand.int(1, 45)),
        );
        const expectedAdmitted = new Set(ids.filter((id) => tokens.has(id) && !tokens.get(id)!.checkedIn)).size;
        if (cancelled) {
          await expectOutcome("checkIn", () => ticket.connect(gate).checkIn(ids), { error: "EventIsCancelled" });
          return;
        }
        expect(await ticket.connect(gate).checkIn.staticCall(ids)).to.equal(BigInt(expectedAdmitted));
        await expectOutcome("checkIn", () => ticket.connect(gate).checkIn(ids), { ok: true });
        for (const id of ids) if (tokens.has(id)) tokens.get(id)!.checkedIn = true;
      }

      async function toggleDeny() {
        // At most two fans denied at a time, so the other paths keep succeeding too.
        const deny = denied.size < 2 && rand.chance(0.6);
        const candidates = fans.filter((f) => denied.has(f.address) !== deny);
        if (candidates.length === 0) return;
        const fan = rand.pick(candidates);
        await ticket.connect(organizer).setDenied([fan.address], deny);
        if (deny) denied.add(fan.address);
        else denied.delete(fan.address);
      }

      async function refund() {
        const tryRefunded = refunded.size > 0 && rand.chance(0.15);
        const tokenId = tryRefunded ? rand.pick([...refunded]) : randomLiveToken();
        if (tokenId === undefined) return;
        const token = tokens.get(tokenId);
        const caller = token ? fans.find((f) => f.address === token.holder)! : rand.pick(fans);
        let expected: Expected = { ok: true };
        if (!cancelled) expected = { error: "EventNotCancelled" };
        else if (!token) expected = { error: "ERC721NonexistentToken", args: [tokenId] };
        await expectOutcome("refund", () => ticket.connect(caller).claimRefund(tokenId), expected);
        if ("ok" in expected) {
          paidOut += tiers[token!.tierId - 1].price;
          tokens.delete(tokenId);
          listings.delete(tokenId);
          refunded.add(tokenId);
        }
      }

      async function list() {
        const tokenId = randomLiveToken();
        if (tokenId === undefined) return;
        const token = tokens.get(tokenId)!;
        const seller = fans.find((f) => f.address === token.holder)!;
        const cap = capOf(token.tierId);
        expect(await ticket.resaleCap(tokenId)).to.equal(cap);
        // Mostly within the cap, sometimes just above it.
        const price = rand.chance(0.8) ? (cap * BigInt(rand.int(50, 100))) / 100n : cap + BigInt(rand.int(1, 1000));
        const existing = listings.get(tokenId);
        let expected: Expected = { ok: true };
        if (existing?.seller === seller.address) expected = { error: "ListingExists", args: [tokenId, seller.address] };
        else if (cancelled) expected = { error: "EventIsCancelled" };
        else if (price > cap) expected = { error: "ResalePriceAboveCap", args: [tokenId, price, cap] };
        else if (denied.has(seller.address)) expected = { error: "AddressDenied", args: [seller.address] };
        await expectOutcome("list", () => ticket.connect(seller).list(tokenId, price), expected);
        if ("ok" in expected) listings.set(tokenId, { seller: seller.address, price });
      }

      async function buyListing() {
        const listed = [...listings.keys()];
        if (listed.length === 0) return;
        // Mostly listings whose seller still holds an unused ticket; sometimes any listing.
        const active = listed.filter((id) => tokens.get(id)?.holder === listings.get(id)!.seller && !tokens.get(id)!.checkedIn);
        const tokenId = active.length && rand.chance(0.75) ? rand.pick(active) : rand.pick(listed);
        const offer = listings.get(tokenId)!;
        const token = tokens.get(tokenId);
        const buyer = rand.pick(fans.filter((f) => f.address !== offer.seller));
        // Now and then the buyer accepts less than the price (the seller raised it).
        const maxPrice = rand.chance(0.1) && offer.price > 0n ? offer.price - 1n : offer.price;
        let expected: Expected = { ok: true };
        // What listingState reports; a used ticket or a denied seller is refused by the transfer itself.
        let state = 0;
        const unavailable = (reason: number) => ({ error: "ListingUnavailable", args: [tokenId, reason] });
        if (cancelled) expected = unavailable((state = 4));
        else if (token?.holder !== offer.seller) expected = unavailable((state = 2));
        else {
          if (token.checkedIn) state = 3;
          else if (denied.has(offer.seller)) state = 6;
          if (maxPrice < offer.price) expected = { error: "PriceAboveLimit", args: [offer.price, maxPrice] };
          else if (denied.has(buyer.address)) expected = { error: "AddressDenied", args: [buyer.address] };
          else if (denied.has(offer.seller)) expected = { error: "AddressDenied", args: [offer.seller] };
          else if (token.checkedIn) expected = { error: "TicketAlreadyUsed", args: [tokenId, input.end] };
        }
        expect(await ticket.listingState(tokenId), `listing state of ${tokenId}`).to.equal(BigInt(state));
        await expectOutcome(
          "buyListing",
          () => ticket.connect(buyer).buyListing(tokenId, maxPrice, scenario.erc20 ? {} : { value: offer.price }),
          expected,
        );
        if ("ok" in expected) {
          expect(offer.price <= capOf(token!.tierId), "a resale above the cap went through").to.equal(true);
          const royalty = (offer.price * 500n) / 10_000n;
          const fee = (offer.price * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
          royalties += royalty;
          fees += fee;
          paidIn += offer.price;
          paidOut += offer.price - royalty - fee; // pushed to the seller
          token!.holder = buyer.address;
          listings.delete(tokenId);
        }
      }

      async function cancelListing() {
        const listed = [...listings.keys()];
        if (listed.length === 0) return;
        const tokenId = rand.pick(listed);
        const offer = listings.get(tokenId)!;
        const caller = fans.find((f) => f.address === offer.seller)!;
        await expectOutcome("cancelListing", () => ticket.connect(caller).cancelListing(tokenId), { ok: true });
        listings.delete(tokenId);
      }

      async function checkInvariants(step: number) {
        for (let i = 0; i < tiers.length; i++) {
          const onChain = await ticket.tier(i + 1);
          expect(onChain.sold, `tier ${i + 1} sold at step ${step}`).to.equal(BigInt(tiers[i].sold));
          expect(onChain.sold <= onChain.supply, `tier ${i + 1} oversold at step ${step}`).to.equal(true);
        }
        const held = await balance();
        expect(held, `escrow at step ${step}`).to.equal(owed() + royalties + fees);
        expect(await ticket.escrowBalance(), `primary escrow at step ${step}`).to.equal(owed());
        expect(held, `money conserved at step ${step}`).to.equal(paidIn - paidOut);
        expect(await ticket.accruedRoyalties()).to.deep.equal([royalties, fees]);
        for (const [k, n] of purchased) {
          const [tierId, wallet] = k.split(":");
          expect(n).to.be.at.most(tiers[Number(tierId) - 1].maxPerWallet);
          expect(await ticket.purchased(Number(tierId), wallet)).to.equal(BigInt(n));
        }
        if (step % 20 === 0) {
          for (const [id, t] of tokens) {
            expect(await ticket.ownerOf(id), `owner of ${id} at step ${step}`).to.equal(t.holder);
            expect(await ticket.isCheckedIn(id)).to.equal(t.checkedIn);
          }
          for (const id of refunded) {
            await expect(ticket.ownerOf(id)).to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken");
          }
        }
      }

      // ---------------------------------------------------------------- run
      const cancelAt = rand.int(Math.floor(scenario.steps * 0.6), Math.floor(scenario.steps * 0.8));
      for (let step = 1; step <= scenario.steps; step++) {
        if (step === cancelAt) {
          await ticket.connect(organizer).cancel();
          cancelled = true;
        } else {
          // Before the cancellation mostly sales and movement; after it mostly refunds.
          const weights = cancelled
            ? { buy: 6, transfer: 6, gift: 5, checkIn: 5, deny: 3, refund: 60, list: 5, buyListing: 6, cancelListing: 2, time: 2 }
            : { buy: 30, transfer: 10, gift: 8, checkIn: 10, deny: 5, refund: 3, list: 16, buyListing: 12, cancelListing: 3, time: 3 };
          let roll = rand.int(1, 100);
          const action = (Object.keys(weights) as (keyof typeof weights)[]).find((k) => (roll -= weights[k]) <= 0);
          if (action === "buy") await buy();
          else if (action === "transfer") await move(false);
          else if (action === "gift") await move(true);
          else if (action === "checkIn") await checkIn();
          else if (action === "deny") await toggleDeny();
          else if (action === "refund") await refund();
          else if (action === "list") await list();
          else if (action === "buyListing") await buyListing();
          else if (action === "cancelListing") await cancelListing();
          else await networkHelpers.time.increase(rand.int(1, 3600));
        }
        await checkInvariants(step);
      }

      if (process.env.PROPERTY_DEBUG) console.log(label, counts, { cancelAt, live: tokens.size, refunded: refunded.size });
      // Every path ran, and both outcomes were exercised.
      for (const action of ["buy", "transfer", "gift", "checkIn", "refund", "list", "buyListing", "cancelListing"]) {
        if (scenario.policy === Policy.Capped && action === "transfer") continue;
        expect(counts[action] ?? 0, `successful ${action} steps`).to.be.greaterThan(0);
      }
      expect(counts.refused).to.be.greaterThan(20);

      // Royalties and fees leave to their owners; everyone still holding a ticket gets exactly their
      // money back; the contract ends empty.
      if (royalties > 0n) await ticket.withdrawRoyalties();
      if (fees > 0n) await ticket.withdrawPlatformFees();
      for (const [id, t] of [...tokens]) {
        const holder = fans.find((f) => f.address === t.holder)!;
        await ticket.connect(holder).claimRefund(id);
        tokens.delete(id);
      }
      expect(await balance()).to.equal(0n);
    });
  });
}

describe("Property: settlement pays out exactly what was paid in", function () {
  it("splits a randomized sale history between payout and platform fee without a remainder", async function () {
    const rand = prng(0x5eed_0003);
    const { factory } = await deployPlatform(ethers);
    const signers = await ethers.getSigners();
    const [, , organizer] = signers;
    const payout = signers[11];
    const input = await eventInput(ethers, { payout: payout.address });
    const ticket = (await createEvent(ethers, factory, organizer, input, [
      tierInput(input, { price: 10n ** 15n + 7n, supply: 200 }),
      tierInput(input, { price: 3n * 10n ** 15n + 1n, supply: 200 }),
    ])) as IChainpassEvent;
    let paidIn = 0n;
    for (let i = 0; i < 40; i++) {
      const buyer = rand.pick(signers.slice(4, 10)) as HardhatEthersSigner;
      const tierId = rand.int(1, 2);
      const quantity = rand.int(1, 4);
      const value = (await ticket.tier(tierId)).price * BigInt(quantity);
      await ticket.connect(buyer).buy(tierId, quantity, buyer.address, value, { value });
      paidIn += value;
    }
    await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
    const before = await ethers.provider.getBalance(payout.address);
    const factoryBefore = await ethers.provider.getBalance(await factory.getAddress());
    await ticket.connect(organizer).withdraw();
    const fee = (paidIn * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
    expect((await ethers.provider.getBalance(payout.address)) - before).to.equal(paidIn - fee);
    // The fee waits in the event for the factory: exactly what the payout did not get.
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(fee);
    await ticket.withdrawPlatformFees();
    expect((await ethers.provider.getBalance(await factory.getAddress())) - factoryBefore).to.equal(fee);
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(0n);
  });
});
