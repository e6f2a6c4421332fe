// The app's estimates in US dollars (frontend/src/shared/usd-estimate.ts): the on-chain amount times
// a Chainlink-style feed's answer in bigint arithmetic, rounded once to the cent (half up), and
// formatted for the reader's locale; a feed's round is used only when positive and fresh enough;
// the feed's two calls and their results, read without viem's ABI coding.
import { readFileSync } from "node:fs";

import { expect } from "chai";
import { encodeFunctionResult, parseEther, parseUnits, toFunctionSelector, type Abi } from "viem";

import { decodeRound, FEED_CALLS, formatUsdEstimate, usableRound, usdCents, type FeedRound } from "../../frontend/src/shared/usd-estimate.js";

const ETH_USD = { answer: 2_500n * 10n ** 8n, decimals: 8 }; // 2,500.00000000
const USDC_USD = { answer: 99_990_000n, decimals: 8 }; // 0.9999

describe("Estimates in US dollars", function () {
  it("multiplies the on-chain amount by the feed's answer to the cent, rounding half up once", function () {
    expect(usdCents(parseEther("0.04"), 18, ETH_USD)).to.equal(10_000n); // $100.00
    expect(usdCents(parseEther("0.00492"), 18, ETH_USD)).to.equal(1_230n); // $12.30
    expect(usdCents(parseUnits("18.5", 6), 6, USDC_USD)).to.equal(1_850n); // 18.498150 → $18.50
    // 1 wei short of half a cent and exactly half a cent: down, then up.
    const halfCent = parseEther("0.000002"); // $0.005 at 2,500
    expect(usdCents(halfCent - 1n, 18, ETH_USD)).to.equal(0n);
    expect(usdCents(halfCent, 18, ETH_USD)).to.equal(1n);
    // An odd answer with many decimals (18, as some feeds): no float in between.
    expect(usdCents(parseEther("1"), 18, { answer: 3_333_333_333_333_333_333_333n, decimals: 18 })).to.equal(333_333n);
  });

  it("keeps every digit of amounts far beyond a float's precision", function () {
    // 123,456,789.123456789012345678 ETH at $2,500.12345678: Number() would lose the last digits.
    const amount = 123_456_789_123_456_789_012_345_678n;
    const answer = { answer: 250_012_345_678n, decimals: 8 };
    const exact = (amount * answer.answer * 100n * 10n + 10n ** 26n * 5n) / (10n ** 26n * 10n); // the same rounding, written out
    expect(usdCents(amount, 18, answer)).to.equal(exact);
    expect(formatUsdEstimate(amount, 18, answer, "en")).to.equal(`≈ $${new Intl.NumberFormat("en").format(exact / 100n)}.${(exact % 100n).toString().padStart(2, "0")}`);
  });

  it("formats with the reader's locale: a $ sign and two decimals, ≈ in front", function () {
    expect(formatUsdEstimate(parseEther("0.00492"), 18, ETH_USD, "en")).to.equal("≈ $12.30");
    expect(formatUsdEstimate(parseEther("1.2"), 18, ETH_USD, "en")).to.equal("≈ $3,000.00");
    expect(formatUsdEstimate(parseEther("1.2"), 18, ETH_USD, "zh-CN")).to.equal("≈ US$3,000.00");
    expect(formatUsdEstimate(parseEther("1.2"), 18, ETH_USD, "de")).to.equal("≈ 3.000,00\u00a0$");
    expect(formatUsdEstimate(parseUnits("8", 6), 6, USDC_USD, "en")).to.equal("≈ $8.00");
    // Less than a cent is not "$0.00"; nothing is.
    expect(formatUsdEstimate(1n, 18, ETH_USD, "en")).to.equal("≈ < $0.01");
    expect(formatUsdEstimate(0n, 18, ETH_USD, "en")).to.equal("≈ $0.00");
  });

  it("calls the feed's decimals() and latestRoundData() and reads their ABI-encoded results, a negative answer included", function () {
    const { abi } = JSON.parse(readFileSync("artifacts/contracts/interfaces/AggregatorV3Interface.sol/AggregatorV3Interface.json", "utf8")) as { abi: Abi };
    const fn = (name: string) => abi.find((item) => item.type === "function" && item.name === name)!;
    expect(FEED_CALLS).to.deep.equal({ decimals: toFunctionSelector(fn("decimals") as never), latestRoundData: toFunctionSelector(fn("latestRoundData") as never) });
    const decimals = encodeFunctionResult({ abi, functionName: "decimals", result: 8 });
    const round = (answer: bigint) => encodeFunctionResult({ abi, functionName: "latestRoundData", result: [7n, answer, 1_700_000_000n, 1_700_000_042n, 7n] });
    expect(decodeRound(decimals, round(ETH_USD.answer))).to.deep.equal({ answer: ETH_USD.answer, updatedAt: 1_700_000_042n, decimals: 8 });
    expect(decodeRound(decimals, round(-5n))?.answer).to.equal(-5n);
    // An address without code answers "0x": no round.
    expect(decodeRound("0x", "0x")).to.equal(undefined);
    expect(decodeRound(decimals, "0x")).to.equal(undefined);
  });

  it("uses a round only when its answer is positive and, where a limit is given, recent enough", function () {
    const now = 1_800_000_000;
    const round: FeedRound = { answer: ETH_USD.answer, decimals: 8, updatedAt: BigInt(now - 3_600) };
    expect(usableRound(round, now, 86_400)).to.equal(round);
    expect(usableRound({ ...round, answer: 0n }, now, 86_400)).to.equal(undefined);
    expect(usableRound({ ...round, answer: -1n }, now)).to.equal(undefined);
    expect(usableRound({ ...round, updatedAt: 0n }, now)).to.equal(undefined); // never updated
    expect(usableRound({ ...round, updatedAt: BigInt(now - 86_401) }, now, 86_400)).to.equal(undefined); // stale
    expect(usableRound({ ...round, updatedAt: BigInt(now - 86_400) }, now, 86_400), "a day old to the second").to.not.equal(undefined);
    expect(usableRound({ ...round, updatedAt: BigInt(now - 10 * 86_400) }, now), "no limit (the local chain)").to.not.equal(undefined);
    expect(usableRound(undefined, now)).to.equal(undefined);
  });
});
