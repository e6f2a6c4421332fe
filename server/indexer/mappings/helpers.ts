// Shared helpers of the Chainpass mappings (mirror of subgraph/src/helpers.ts): entity ids,
// get-or-create, token-id arithmetic, role names and seat labels. Nothing here reads the chain.
import { hexToString, keccak256, stringToHex, toHex, type Hex } from "viem";

import { seatLabel as labelOfSeat } from "../../../lib/seats.js";
import type { Account, EventAccount, Tier } from "../generated/entities.js";
import type { ChainEvent, HandlerStore } from "../mapping.js";

export const TOKENS_PER_TIER = 1_000_000n;
export const TOKENS_PER_SLOT = 1_000_000_000n;
/** A calendar tier's supply that means "no cap" (MAX_SUPPLY_PER_TIER): a return does not raise it. */
export const MAX_SUPPLY_PER_TIER = 999_999n;
export const ZERO_ADDRESS: Hex = "0x0000000000000000000000000000000000000000";
/** Basis points: royalty and fee rates are out of this. */
export const BPS = 10_000n;
export const ZERO_BYTES32: Hex = "0x0000000000000000000000000000000000000000000000000000000000000000";

// ------------------------------------------------------------------ ids

export const concat = (a: Hex, b: Hex): Hex => `${a}${b.slice(2)}`;

/** A uint256 as 32 big-endian bytes, as abi.encodePacked writes it. */
export const uint256Bytes = (value: bigint): Hex => toHex(value, { size: 32 });

/** An i32 as 4 little-endian bytes (graph-ts `Bytes.concatI32`). */
export function int32Bytes(value: number): Hex {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value);
  return `0x${bytes.toString("hex")}`;
}

/** Id of a fact entity (Sale, Transfer, ...) and of a Listing: transaction hash ++ int32 log index (little-endian). */
export const logId = (log: ChainEvent<unknown>): Hex => concat(log.transaction.hash, int32Bytes(log.logIndex));

/** Tier id: event address ++ uint256(tierId). */
export const tierKey = (eventAddress: Hex, tierId: bigint): Hex => concat(eventAddress, uint256Bytes(tierId));

/** Ticket id: event address ++ uint256(tokenId). */
export const ticketKey = (eventAddress: Hex, tokenId: bigint): Hex => concat(eventAddress, uint256Bytes(tokenId));

/** EventAccount id: event address ++ account address. */
export const eventAccountKey = (eventAddress: Hex, account: Hex): Hex => concat(eventAddress, account);

/** SeatBlock id: tier id ++ int32 index (little-endian). */
export const seatBlockKey = (tierId: Hex, index: number): Hex => concat(tierId, int32Bytes(index));

/** Calendar id: event address ++ int32 calendar id (little-endian). */
export const calendarKey = (eventAddress: Hex, calendarId: number): Hex => concat(eventAddress, int32Bytes(calendarId));

/** Slot id: calendar id ++ int32 slot number (little-endian). */
export const slotKey = (calendarId: Hex, slot: number): Hex => concat(calendarId, int32Bytes(slot));

// ------------------------------------------------------------------ token ids

/** tokenId = slot * 1,000,000,000 + tierId * 1,000,000 + serial. */
export const tierIdOf = (tokenId: bigint) => (tokenId % TOKENS_PER_SLOT) / TOKENS_PER_TIER;

export const slotOf = (tokenId: bigint) => Number(tokenId / TOKENS_PER_SLOT);

export const serialOf = (tokenId: bigint) => Number(tokenId % TOKENS_PER_TIER);

// ------------------------------------------------------------------ accounts

/** The Account of `address`, created (and saved) on first sight. */
export function getOrCreateAccount(store: HandlerStore, address: Hex, log: ChainEvent<unknown>): Account {
  let account = store.load("Account", address);
  if (account === null) {
    account = { id: address, createdAt: log.block.timestamp, createdAtBlock: log.block.number };
    store.save("Account", account);
  }
  return account;
}

/** The EventAccount of (event, account), new ones unsaved: the caller sets its field and saves. */
export function getOrCreateEventAccount(store: HandlerStore, eventAddress: Hex, address: Hex, log: ChainEvent<unknown>): EventAccount {
  const id = eventAccountKey(eventAddress, address);
  let member = store.load("EventAccount", id);
  if (member === null) {
    getOrCreateAccount(store, address, log);
    member = {
      id,
      event: eventAddress,
      account: address,
      organizer: false,
      gate: false,
      finance: false,
      voucherSigner: false,
      denied: false,
      giftsUsed: 0,
      credits: 0n,
      createdAt: log.block.timestamp,
      createdAtBlock: log.block.number,
      updatedAt: log.block.timestamp,
    };
  }
  member.updatedAt = log.block.timestamp;
  return member;
}

// ------------------------------------------------------------------ event terms

const POLICIES = ["Open", "Capped", "Locked"];

/** TransferPolicy enum value to its name. */
export const policyName = (policy: number) => POLICIES[policy] ?? "Unknown";

// ------------------------------------------------------------------ roles

const ROLE_NAMES = new Map<Hex, string>([
  [ZERO_BYTES32, "ORGANIZER"],
  [keccak256(stringToHex("GATE_ROLE")), "GATE"],
  [keccak256(stringToHex("FINANCE_ROLE")), "FINANCE"],
  [keccak256(stringToHex("VOUCHER_SIGNER_ROLE")), "VOUCHER_SIGNER"],
]);

/** The role's name: ORGANIZER (0x00, AccessControl's DEFAULT_ADMIN_ROLE), GATE, FINANCE, VOUCHER_SIGNER, or OTHER. */
export const roleName = (role: Hex) => ROLE_NAMES.get(role) ?? "OTHER";

// ------------------------------------------------------------------ seats

/** A bytes16 section name up to its first zero byte, as UTF-8 (TicketRenderer._trim). */
export const sectionName = (section: Hex) => hexToString(section, { size: 16 }).split("\0")[0];

/**
 * "Stalls, Row C, Seat 12" for seat `serial` of a seated tier, from the tier's SeatBlocks (by
 * lib/seats, the rule the gate and the app use); null when the tier has no seat map or the seat
 * is outside it.
 */
export function seatLabel(store: HandlerStore, tier: Tier, serial: number): string | null {
  if (!tier.seated || serial === 0) return null;
  const blocks = [];
  for (let i = 0; i < tier.seatBlockCount; i++) {
    const block = store.load("SeatBlock", seatBlockKey(tier.id, i));
    if (block === null) return null;
    blocks.push({ ...block, section: stringToHex(block.section, { size: 16 }) });
  }
  return labelOfSeat(blocks, serial) ?? null;
}
