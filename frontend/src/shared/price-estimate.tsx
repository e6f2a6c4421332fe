// "≈ $12.30" beside crypto amounts: the currency's Chainlink-style USD feed (lib/networks.ts
// `priceFeeds`; MockPriceFeed on the local chain) read with two eth_calls over wagmi's client for
// the chain (its transport, not getPublicClient; no viem action either, see usd-estimate.ts
// FEED_CALLS), cached a minute. No feed for the currency, a non-positive answer or, on public
// chains, an answer older than a day: no estimate at all. Only the routes that show estimates load
// this module (and its strings, ./estimate-messages.ts); the pass page does not.
import { useQuery } from "@tanstack/react-query";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { isAddressEqual, type Address, type Hex } from "viem";

import { wagmiConfig } from "../wallet/config.js";
import { network } from "../wallet/network.js";
import "./estimate-messages.js";
import type { Currency } from "./format.js";
import { decodeRound, FEED_CALLS, formatUsdEstimate, usableRound, type FeedRound } from "./usd-estimate.js";

/** A public feed's answer older than this is not used (Chainlink's USD feeds update at least daily). */
const MAX_AGE_SECONDS = network.devWallet ? undefined : 86_400;

/** The USD feed of `currency` on this build's network, if it has one. */
export function feedFor(currency: Currency): Address | undefined {
  const feeds = network.priceFeeds;
  if (!feeds) return undefined;
  if (currency.native) return feeds.native;
  return network.stablecoin && isAddressEqual(currency.address, network.stablecoin.address) ? feeds.stablecoin : undefined;
}

/** The feed's latest round for `currency`, when an estimate may be made from it. */
export function useFeedRound(currency: Currency | undefined): FeedRound | undefined {
  const feed = currency && feedFor(currency);
  const query = useQuery({
    queryKey: ["priceFeed", network.chainId, feed],
    enabled: !!feed,
    staleTime: 60_000,
    retry: 1,
    queryFn: async (): Promise<FeedRound | null> => {
      const client = wagmiConfig.getClient({ chainId: network.chainId });
      const ethCall = (data: Hex) => client.request({ method: "eth_call", params: [{ to: feed!, data }, "latest"] });
      const [decimals, round] = await Promise.all([ethCall(FEED_CALLS.decimals), ethCall(FEED_CALLS.latestRoundData)]);
      return usableRound(decodeRound(decimals, round), Math.floor(Date.now() / 1000), MAX_AGE_SECONDS) ?? null;
    },
  });
  return query.data ?? undefined;
}

/** "≈ $12.30" for an amount in `currency`, for a sentence; undefined where there is no estimate. */
export function useUsdText(currency: Currency): ((amount: bigint) => string) | undefined {
  const { i18n } = useTranslation("estimate");
  const round = useFeedRound(currency);
  return round && ((amount) => formatUsdEstimate(amount, currency.decimals, round, i18n.language));
}

/** Read by screen readers, not shown. */
const HIDDEN: CSSProperties = { position: "absolute", width: 1, height: 1, overflow: "hidden", clipPath: "inset(50%)", whiteSpace: "nowrap" };

/** " ≈ $12.30" after an amount in `currency` (with its space), or nothing where there is no estimate. */
export function UsdEstimate({ amount, currency, testId }: { amount: bigint | string | undefined; currency: Currency; testId?: string }) {
  const { t, i18n } = useTranslation("estimate");
  const round = useFeedRound(currency);
  if (!round || amount === undefined) return null;
  return (
    <>
      {" "}
      <span className="usd-estimate muted small" title={t("title", { network: network.name })} data-testid={testId}>
        {formatUsdEstimate(BigInt(amount), currency.decimals, round, i18n.language)}
        <span style={HIDDEN}> {t("hidden")}</span>
      </span>
    </>
  );
}

/** Says once on a page what the ≈ amounts are, where there are any (`currency`'s estimate can be made). */
export function EstimateNote({ currency }: { currency: Currency }) {
  const { t } = useTranslation("estimate");
  const round = useFeedRound(currency);
  if (!round) return null;
  return (
    <p className="small muted" data-testid="estimate-note">
      {t("note", { network: network.name })}
    </p>
  );
}
