// Explore's "from" (frontend/src/fan/sale.ts fromPrice): the lowest price a fan can pay now, over
// the tiers on public sale at their price now and the listings that can be bought; otherwise why
// nothing can be bought (a sale to come, sold out, closed).
import { expect } from "chai";
import { zeroHash } from "viem";

import { fromPrice, type PricedTier } from "../../frontend/src/fan/sale.js";

const NOW = 1_800_000_000;
const DAY = 86_400;
const ROOT = `0x${"ab".repeat(32)}` as const;

/** A tier on sale since yesterday until next week, 10 of 100 sold. */
const tier = (price: bigint, over: Partial<Record<keyof PricedTier, unknown>> = {}): PricedTier => ({
  price: price.toString(),
  supply: "100",
  sold: "10",
  saleStart: String(NOW - DAY),
  saleEnd: String(NOW + 7 * DAY),
  paused: false,
  earlyPrice: "0",
  earlyUntil: "0",
  presaleStart: "0",
  presaleRoot: null,
  ...over,
}) as PricedTier;

describe("Explore's from price", function () {
  it("is the cheapest tier on public sale, at its early price while that lasts", function () {
    expect(fromPrice([tier(50n), tier(30n), tier(80n)], [], NOW)).to.deep.equal({ kind: "price", amount: 30n, resale: false });
    expect(fromPrice([tier(50n, { earlyPrice: "20", earlyUntil: String(NOW + 60) }), tier(30n)], [], NOW)).to.deep.equal({ kind: "price", amount: 20n, resale: false });
    expect(fromPrice([tier(50n, { earlyPrice: "20", earlyUntil: String(NOW) }), tier(30n)], [], NOW), "the early price is over").to.deep.equal({ kind: "price", amount: 30n, resale: false });
  });

  it("leaves out tiers sold out, paused, closed, not open yet or in an allowlist presale", function () {
    const cheap = (over: Partial<Record<keyof PricedTier, unknown>>) => fromPrice([tier(10n, over), tier(40n)], [], NOW);
    for (const [why, over] of [
      ["sold out", { sold: "100" }],
      ["paused", { paused: true }],
      ["closed", { saleEnd: String(NOW) }],
      ["not open yet", { saleStart: String(NOW + DAY) }],
      ["in its presale", { saleStart: String(NOW + DAY), presaleStart: String(NOW - DAY), presaleRoot: ROOT }],
    ] as const) {
      expect(cheap(over), why).to.deep.equal({ kind: "price", amount: 40n, resale: false });
    }
    // Once the public sale of a tier with a presale has started, it is open to everyone.
    expect(cheap({ presaleStart: String(NOW - 2 * DAY), presaleRoot: ROOT })).to.deep.equal({ kind: "price", amount: 10n, resale: false });
  });

  it("takes a resale listing when it is cheaper than anything new", function () {
    expect(fromPrice([tier(50n)], ["45", "60"], NOW)).to.deep.equal({ kind: "price", amount: 45n, resale: true });
    expect(fromPrice([tier(50n)], ["55"], NOW)).to.deep.equal({ kind: "price", amount: 50n, resale: false });
    expect(fromPrice([tier(50n, { sold: "100" })], ["70"], NOW), "sold out new, on resale").to.deep.equal({ kind: "price", amount: 70n, resale: true });
    expect(fromPrice([tier(0n)], [], NOW), "free").to.deep.equal({ kind: "price", amount: 0n, resale: false });
  });

  it("says when nothing can be bought now: the soonest public sale, sold out, or closed", function () {
    const later = String(NOW + 2 * DAY);
    expect(
      fromPrice([tier(10n, { saleStart: String(NOW + 5 * DAY) }), tier(20n, { saleStart: later, presaleStart: String(NOW - DAY), presaleRoot: ROOT }), tier(5n, { sold: "100" })], [], NOW),
    ).to.deep.equal({ kind: "opens", at: BigInt(later) });
    expect(fromPrice([tier(10n, { sold: "100" }), tier(20n, { sold: "100", paused: true })], [], NOW)).to.deep.equal({ kind: "soldOut" });
    expect(fromPrice([tier(10n, { sold: "100" }), tier(20n, { paused: true })], [], NOW)).to.deep.equal({ kind: "closed" });
    expect(fromPrice([tier(10n, { saleEnd: String(NOW - 1) })], [], NOW)).to.deep.equal({ kind: "closed" });
    expect(fromPrice([], [], NOW)).to.equal(undefined);
    // A zero root is no presale: the tier waits for its public sale.
    expect(fromPrice([tier(10n, { saleStart: later, presaleStart: String(NOW - DAY), presaleRoot: zeroHash })], [], NOW)).to.deep.equal({ kind: "opens", at: BigInt(later) });
  });
});
