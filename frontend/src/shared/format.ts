// Amounts, dates and addresses formatted for the reader's locale.
import { formatUnits, isAddressEqual, zeroAddress, type Address } from "viem";

import { network } from "../wallet/network.js";

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

/** Unix seconds → a date and time in the reader's locale. */
export function formatDateTime(seconds: bigint | number | string, locale: string, options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
  return new Intl.DateTimeFormat(locale, options).format(new Date(Number(seconds) * 1000));
}

export const formatDate = (seconds: bigint | number | string, locale: string) => formatDateTime(seconds, locale, { dateStyle: "medium" });
export const formatTime = (seconds: bigint | number | string, locale: string) => formatDateTime(seconds, locale, { timeStyle: "short" });

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);
