// Estimates in US dollars beside crypto amounts ("≈ $12.30"): the amount on chain times a
// Chainlink-style feed's answer, in bigint arithmetic down to the cent, rounded once (half up) and
// formatted for the reader's locale. No imports: the unit tests load it without the app
// (shared/price-estimate.tsx reads the feeds and shows the estimates).

/** What a feed's `decimals` and `latestRoundData` say, as the app keeps it. */
export interface FeedRound {
  /** USD per whole unit of the currency, with `decimals` decimals. */
  answer: bigint;
  /** Unix seconds of the round's last update. */
  updatedAt: bigint;
  decimals: number;
}

/**
 * The two calls of a feed (AggregatorV3Interface) as eth_call data: `decimals()` and
 * `latestRoundData()`, by their selectors (test/lib/price-estimate.test.ts checks them against the
 * interface's ABI). Sent as they are: viem's readContract would add some 20 KB (ABI coding, its
 * call action) to routes that have none of it yet (explore, the event page).
 */
export const FEED_CALLS = { decimals: "0x313ce567", latestRoundData: "0xfeaf968c" } as const;

/**
 * The round from the calls' results (ABI-encoded static words: `decimals` a uint8; `latestRoundData`
 * roundId, answer as an int256, startedAt, updatedAt, answeredInRound). Undefined for an answer that
 * is not one (too short, as from an address without code).
 */
export function decodeRound(decimalsResult: string, roundResult: string): FeedRound | undefined {
  const word = (hex: string, index: number) => {
    const digits = hex.slice(2 + 64 * index, 2 + 64 * (index + 1));
    return /^[0-9a-fA-F]{64}$/.test(digits) ? BigInt(`0x${digits}`) : undefined;
  };
  const decimals = word(decimalsResult, 0);
  const answer = word(roundResult, 1);
  const updatedAt = word(roundResult, 3);
  if (decimals === undefined || decimals > 255n || answer === undefined || updatedAt === undefined) return undefined;
  return { answer: BigInt.asIntN(256, answer), updatedAt, decimals: Number(decimals) };
}

/**
 * The round if an estimate may be made from it: a positive answer, updated (and, when
 * `maxAgeSeconds` is given, not longer ago than that at `nowSeconds`). Otherwise undefined: no
 * estimate rather than a wrong one.
 */
export function usableRound(round: FeedRound | undefined, nowSeconds: number, maxAgeSeconds?: number): FeedRound | undefined {
  if (!round || round.answer <= 0n || round.updatedAt <= 0n) return undefined;
  if (maxAgeSeconds !== undefined && BigInt(nowSeconds) - round.updatedAt > BigInt(maxAgeSeconds)) return undefined;
  return round;
}

/** `amount` (smallest units, `decimals` of them to a whole unit) in US cents at the feed's answer, rounded half up. */
export function usdCents(amount: bigint, decimals: number, round: Pick<FeedRound, "answer" | "decimals">): bigint {
  const scale = 10n ** BigInt(decimals + round.decimals);
  const product = amount * round.answer * 100n;
  const negative = product < 0n;
  const cents = ((negative ? -product : product) + scale / 2n) / scale;
  return negative ? -cents : cents;
}

/**
 * "≈ $12.30" (en), "≈ US$12.30" (zh-CN): the estimate of `amount` in the reader's locale. An amount
 * worth less than a cent reads "≈ < $0.01", a zero amount "≈ $0.00".
 */
export function formatUsdEstimate(amount: bigint, decimals: number, round: Pick<FeedRound, "answer" | "decimals">, locale: string): string {
  const cents = usdCents(amount, decimals, round);
  const usd = new Intl.NumberFormat(locale, { style: "currency", currency: "USD" });
  if (cents === 0n && amount > 0n) return `≈ < ${usd.format("0.01")}`;
  const whole = cents / 100n;
  const rest = (cents < 0n ? -cents : cents) % 100n;
  // A decimal string, formatted exactly (Intl.NumberFormat takes strings without going through a float).
  const sign = cents < 0n && whole === 0n ? "-" : "";
  return `≈ ${usd.format(`${sign}${whole}.${rest.toString().padStart(2, "0")}` as `${number}`)}`;
}
