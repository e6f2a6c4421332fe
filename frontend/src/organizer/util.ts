// Small helpers of the organizer console: datetime-local (at the venue) <-> unix seconds, percent <-> basis
// points, CSV files, and the event currency.
import { formatUnits, parseUnits, zeroAddress, type Address } from "viem";

import { currencyOf, type Currency } from "../shared/format.js";
import { unixToZoned, zonedToUnix } from "../shared/venue-time.js";
import { network } from "../wallet/network.js";

/** `<input type="datetime-local">` value, the venue's wall clock in `zone` → unix seconds; undefined when empty or invalid. */
export const localToUnix = (value: string, zone: string): number | undefined => (value ? zonedToUnix(value, zone) : undefined);

/** Unix seconds → a datetime-local value on the venue's wall clock in `zone`. */
export const unixToLocal = (seconds: number | bigint | string, zone: string): string => unixToZoned(seconds, zone);

/** "12.5" (percent) → 1250 basis points; undefined when not a number with at most two decimals. */
export function percentToBps(value: string): number | undefined {
  const v = value.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return undefined;
  return Math.round(Number(v) * 100);
}

export const bpsToPercent = (bps: number) => String(bps / 100);

/** A decimal amount typed by a person in `currency` → base units; undefined when invalid. */
export function parseAmount(value: string, currency: Currency): bigint | undefined {
  const v = value.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(v)) return undefined;
  const fraction = v.split(".")[1] ?? "";
  if (fraction.length > currency.decimals) return undefined;
  return parseUnits(v, currency.decimals);
}

export const amountToInput = (amount: bigint | string, currency: Currency) => formatUnits(BigInt(amount), currency.decimals);

export type CurrencyChoice = "eth" | "usdc";

export function currencyAddress(choice: CurrencyChoice): Address {
  return choice === "usdc" && network.stablecoin ? network.stablecoin.address : zeroAddress;
}

export const currencyFor = (choice: CurrencyChoice) => currencyOf(currencyAddress(choice));

/** One CSV cell: quoted when it holds a comma, quote or line break; formula prefixes neutralised. */
function cell(value: unknown): string {
  let s = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Saves `text` as a file through a Blob link. */
export function downloadText(filename: string, text: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A token symbol suggested from the event name: initials of its words, or its first letters. */
export function symbolFrom(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  const initials = words.map((w) => w[0]).join("");
  const symbol = (initials.length >= 3 ? initials : words.join("").slice(0, 6)).toUpperCase().slice(0, 8);
  return symbol || "TICKET";
}

export const POLICIES = ["open", "capped", "locked"] as const;
export type PolicyChoice = (typeof POLICIES)[number];
/** TransferPolicy enum order in contracts/interfaces/IEventTicketTypes.sol. */
export const policyIndex = (p: PolicyChoice) => POLICIES.indexOf(p);
/** contracts: MAX_ROYALTY_BPS (contracts/ticket/TicketBase.sol). */
export const MAX_ROYALTY_BPS = 1_000;
/** uint16 resaleCapBps. */
export const MAX_RESALE_CAP_BPS = 65_535;

/** EVENT_CALENDARS's variables for an event's calendars alone (their rules, no slots): the console asks to know whether to show its Calendar tab. */
export const CALENDARS_ONLY = { from: "0", to: "0" } as const;
