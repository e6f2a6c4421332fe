// Amounts, dates and addresses formatted for the reader's locale.
import i18n from "i18next";
import { formatUnits, isAddressEqual, zeroAddress, type Address } from "viem";

import { network } from "../wallet/network.js";
import { formatZoned, formatZonedRange, type TimeShape } from "./venue-time.js";

export interface Currency {
  address: Address;
  symbol: string;
  decimals: number;
  native: boolean;
}

export function currencyOf(address: string): Currency {
  const a = address as Address;
  if (isAddressEqual(a, zeroAddress)) return { address: a, symbol: "ETH", decimals: 18, native: true };
  const s = network.stablecoin;
  if (s && isAddressEqual(a, s.address)) return { address: a, symbol: s.symbol, decimals: s.decimals, native: false };
  return { address: a, symbol: "tokens", decimals: 18, native: false };
}

/** `1.5 ETH`, `12.50 USDC`; grouping and decimal marks per locale, no precision lost for ETH. */
export function formatAmount(amount: bigint | string, currency: Currency | string, locale: string): string {
  const c = typeof currency === "string" ? currencyOf(currency) : currency;
  const [whole, fraction = ""] = formatUnits(BigInt(amount), c.decimals).split(".");
  const group = new Intl.NumberFormat(locale, { useGrouping: true }).format(BigInt(whole));
  const decimalMark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  const shown = c.decimals <= 6 ? fraction.padEnd(2, "0") : fraction;
  return `${shown ? `${group}${decimalMark}${shown}` : group} ${c.symbol}`;
}

type Seconds = bigint | number | string;

/** "(12:23 PM your time)" in the reader's language. */
const yourTime = (locale: string) => (local: string) => i18n.t("common:time.yourTime", { time: local, lng: locale });

/**
 * Unix seconds → a date and time in the reader's locale, at the venue: in `zone` (the event
 * metadata's `timezone`; the reader's own zone when missing) with the zone's label, and the
 * reader's time beside it where their clock differs: "Nov 22, 2026, 8:23 PM GMT+8 (12:23 PM your
 * time)". One implementation: shared/venue-time.ts.
 */
export function formatDateTime(seconds: Seconds, locale: string, zone?: string | null, shape: TimeShape = "dateTime", label = true): string {
  return formatZoned(seconds, { locale, zone, shape, label, yourTime: yourTime(locale) });
}

/** The venue's day alone ("Nov 22, 2026"). */
export const formatDate = (seconds: Seconds, locale: string, zone?: string | null) => formatDateTime(seconds, locale, zone, "date");
/** The time at the venue, labelled ("8:23 PM GMT+8 (12:23 PM your time)"). */
export const formatTime = (seconds: Seconds, locale: string, zone?: string | null) => formatDateTime(seconds, locale, zone, "time");
/** A span at the venue: "Nov 22, 2026, 2:21 PM – 4:21 PM GMT+8 (6:21 AM – 8:21 AM your time)". */
export const formatDateTimeRange = (start: Seconds, end: Seconds, locale: string, zone?: string | null) =>
  formatZonedRange(start, end, { locale, zone, yourTime: yourTime(locale) });

/** A span within one day at the venue, times alone: "2:00 PM – 3:00 PM GMT+8 (6:00 AM – 7:00 AM your time)". */
export const formatTimeRange = (start: Seconds, end: Seconds, locale: string, zone?: string | null) =>
  formatZonedRange(start, end, { locale, zone, shape: "time", yourTime: yourTime(locale) });

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);
