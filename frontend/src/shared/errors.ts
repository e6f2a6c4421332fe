// A failed call or transaction, in words: the contract's custom error (decoded by viem against
// lib/abi, which names every error) through the `errors` catalogue, or the wallet's refusal.
import type { TFunction } from "i18next";
import { keccak256, toHex, zeroHash, type ContractFunctionRevertedError } from "viem";

import { currencyOf, formatAmount, formatDateTime, shortAddress, type Currency } from "./format.js";

const AMOUNT_ARGS = new Set(["price", "cap", "limit", "expected", "received", "balance", "needed", "allowance", "value"]);
/** Basis points shown as a percentage (PlatformFeeAboveLimit). */
const PERCENT_ARGS = new Set(["feeBps", "maxFeeBps", "shareBps", "newShareBps", "maxBps"]);
const TIME_ARGS = new Set(["opensAt", "closesAt", "unlocksAt", "expiresAt", "availableAt", "end", "closedAt"]);
/** The event's AccessControl roles by id (contracts/ticket/TicketBase.sol): ORGANIZER_ROLE is 0x00. */
const ROLES: Record<string, string> = {
  [zeroHash]: "organizer",
  [keccak256(toHex("GATE_ROLE"))]: "gate",
  [keccak256(toHex("FINANCE_ROLE"))]: "finance",
  [keccak256(toHex("VOUCHER_SIGNER_ROLE"))]: "voucherSigner",
};
const LISTING_STATES = ["Active", "NotListed", "TokenMoved", "CheckedIn", "EventCancelled", "EventEnded", "SellerDenied"];
/** contracts/interfaces/IEventTicketTypes.sol CalendarFault, in order. */
const CALENDAR_FAULTS = ["NoDays", "SlotLength", "UtcOffset", "RunCount", "RunStart", "RunSlots", "RunWeekdays", "TooManySlots", "TierNotFree", "NoTiers", "ClosedDay"];

/** A currency address as its symbol when the app knows it (ETH, the network's stablecoin). */
function currencyName(address: string): string {
  const known = currencyOf(address);
  return known.symbol === "tokens" ? shortAddress(address) : known.symbol;
}

/** A span of seconds in the largest whole unit: "7 days", "36 hours", "90 minutes". */
function formatDuration(seconds: number, locale: string): string {
  const [unit, size] = seconds % 86_400 === 0 ? (["day", 86_400] as const) : seconds % 3_600 === 0 ? (["hour", 3_600] as const) : (["minute", 60] as const);
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: 1 }).format(seconds / size);
}

export interface DecodedError {
  /** The custom error's name, or userRejected / insufficientFunds / wrongChain / unknown. */
  name: string;
  message: string;
}

/**
 * The first error in `error`'s chain of causes named `name`. By name, not instanceof: chunks loaded
 * on demand (the EIP-5792 batch, shared/batch.ts) carry their own copies of viem's error classes.
 */
function causeNamed<T>(error: unknown, name: string): T | undefined {
  let e = error as { name?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 20; depth++, e = e.cause as typeof e) {
    if (e.name === name) return e as T;
  }
  return undefined;
}

/** `zone`: the event's venue zone, for the times a refusal names (the reader's, labelled, without it). */
export function describeError(error: unknown, t: TFunction, context: { currency?: Currency; zone?: string; locale: string }): DecodedError {
  // wagmi refuses to send when the wallet is on another chain than the app (its own BaseError).
  if (causeNamed(error, "ConnectorChainMismatchError")) return { name: "wrongChain", message: t("errors:wrongChain") };
  const shortMessage = (error as { shortMessage?: unknown } | undefined)?.shortMessage;
  if (typeof shortMessage === "string") {
    // One of viem's (or wagmi's) errors.
    const reverted = causeNamed<ContractFunctionRevertedError>(error, "ContractFunctionRevertedError");
    const name = reverted?.data?.errorName;
    if (reverted && name) {
      const inputs = reverted.data?.abiItem && "inputs" in reverted.data.abiItem ? reverted.data.abiItem.inputs : [];
      const values: Record<string, string> = {};
      inputs.forEach((input, i) => {
        const value = reverted.data?.args?.[i];
        if (!input.name || value === undefined) return;
        if (AMOUNT_ARGS.has(input.name) && context.currency) values[input.name] = formatAmount(value as bigint, context.currency, context.locale);
        else if (TIME_ARGS.has(input.name)) values[input.name] = formatDateTime(value as bigint | number, context.locale, context.zone);
        else if (PERCENT_ARGS.has(input.name)) values[input.name] = `${new Intl.NumberFormat(context.locale, { maximumFractionDigits: 2 }).format(Number(value) / 100)}%`;
        else if (input.name === "secondsBefore") values.secondsBefore = formatDuration(Number(value), context.locale);
        // A refund policy's step, counted from 1 for people.
        else if (input.name === "step") values.step = String(Number(value) + 1);
        else if (input.name === "neededRole") values.neededRole = t(`errors:role.${ROLES[String(value).toLowerCase()] ?? "other"}`);
        else if (input.name === "currency" && input.type === "address") values.currency = currencyName(value as string);
        else if (input.name === "state") values.state = t(`errors:listingState.${LISTING_STATES[Number(value)]}`);
        else if (input.name === "fault") values.fault = t(`errors:calendarFault.${CALENDAR_FAULTS[Number(value)]}`);
        else values[input.name] = String(value);
      });
      const sentence = t(`errors:${name}`, { ...values, defaultValue: "" });
      return { name, message: sentence || t("errors:unknown", { message: name }) };
    }
    if (causeNamed(error, "UserRejectedRequestError")) return { name: "userRejected", message: t("errors:userRejected") };
    if (causeNamed(error, "InsufficientFundsError")) return { name: "insufficientFunds", message: t("errors:insufficientFunds") };
    if (causeNamed(error, "ChainMismatchError")) return { name: "wrongChain", message: t("errors:wrongChain") };
    return { name: "unknown", message: t("errors:unknown", { message: shortMessage }) };
  }
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: number })?.code === 4001) return { name: "userRejected", message: t("errors:userRejected") };
  return { name: "unknown", message: t("errors:unknown", { message }) };
}
