// Shared helpers of the Chainpass mappings: entity ids, get-or-create, token-id arithmetic,
// role names and seat labels. Nothing here reads the chain.
import { Address, BigInt, ByteArray, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";

import { Account, EventAccount, SeatBlock, Tier } from "../generated/schema";

export const TOKENS_PER_TIER = BigInt.fromI32(1000000);
export const TOKENS_PER_SLOT = BigInt.fromI32(1000000000);
/** A calendar tier's supply that means "no cap" (MAX_SUPPLY_PER_TIER): a return does not raise it. */
export const MAX_SUPPLY_PER_TIER = BigInt.fromI32(999999);
/** Basis points: royalty and fee rates are out of this. */
export const BPS = BigInt.fromI32(10000);

// ------------------------------------------------------------------ ids

/** A uint256 as 32 big-endian bytes, as abi.encodePacked writes it. */
export function uint256Bytes(value: BigInt): Bytes {
  // graph-ts BigInt bytes are little-endian (two's complement; a positive value may carry one
  // extra 0x00 byte, which the bound below drops).
  const out = new Bytes(32);
  for (let i = 0; i < value.length && i < 32; i++) {
    out[31 - i] = value[i];
  }
  return out;
}

/** Id of a fact entity (Sale, Transfer, ...) and of a Listing: transaction hash ++ int32 log index (little-endian). */
export function logId(log: ethereum.Event): Bytes {
  return log.transaction.hash.concatI32(log.logIndex.toI32());
}

/** Tier id: event address ++ uint256(tierId). */
export function tierKey(eventAddress: Address, tierId: BigInt): Bytes {
  return eventAddress.concat(uint256Bytes(tierId));
}

/** Ticket id: event address ++ uint256(tokenId). */
export function ticketKey(eventAddress: Address, tokenId: BigInt): Bytes {
  return eventAddress.concat(uint256Bytes(tokenId));
}

/** EventAccount id: event address ++ account address. */
export function eventAccountKey(eventAddress: Bytes, account: Bytes): Bytes {
  return eventAddress.concat(account);
}

/** SeatBlock id: tier id ++ int32 index (little-endian). */
export function seatBlockKey(tierId: Bytes, index: i32): Bytes {
  return tierId.concatI32(index);
}

/** Calendar id: event address ++ int32 calendar id (little-endian). */
export function calendarKey(eventAddress: Address, calendarId: i32): Bytes {
  return eventAddress.concatI32(calendarId);
}

/** Slot id: calendar id ++ int32 slot number (little-endian). */
export function slotKey(calendarId: Bytes, slot: i32): Bytes {
  return calendarId.concatI32(slot);
}

// ------------------------------------------------------------------ token ids

/** tokenId = slot * 1,000,000,000 + tierId * 1,000,000 + serial. */
export function tierIdOf(tokenId: BigInt): BigInt {
  return tokenId.mod(TOKENS_PER_SLOT).div(TOKENS_PER_TIER);
}

export function slotOf(tokenId: BigInt): i32 {
  return tokenId.div(TOKENS_PER_SLOT).toI32();
}

export function serialOf(tokenId: BigInt): i32 {
  return tokenId.mod(TOKENS_PER_TIER).toI32();
}

// ------------------------------------------------------------------ accounts

/** The Account of `address`, created (and saved) on first sight. */
export function getOrCreateAccount(address: Address, log: ethereum.Event): Account {
  let account = Account.load(address);
  if (account == null) {
    account = new Account(address);
    account.createdAt = log.block.timestamp;
    account.createdAtBlock = log.block.number;
    account.save();
  }
  return account;
}

/** The EventAccount of (event, account), new ones unsaved: the caller sets its field and saves. */
export function getOrCreateEventAccount(eventAddress: Address, address: Address, log: ethereum.Event): EventAccount {
  const id = eventAccountKey(eventAddress, address);
  let member = EventAccount.load(id);
  if (member == null) {
    getOrCreateAccount(address, log);
    member = new EventAccount(id);
    member.event = eventAddress;
    member.account = address;
    member.organizer = false;
    member.gate = false;
    member.finance = false;
    member.voucherSigner = false;
    member.denied = false;
    member.giftsUsed = 0;
    member.credits = BigInt.zero();
    member.createdAt = log.block.timestamp;
    member.createdAtBlock = log.block.number;
  }
  member.updatedAt = log.block.timestamp;
  return member;
}

// ------------------------------------------------------------------ event terms

/** TransferPolicy enum value to its name. */
export function policyName(policy: i32): string {
  if (policy == 0) return "Open";
  if (policy == 1) return "Capped";
  if (policy == 2) return "Locked";
  return "Unknown";
}

// ------------------------------------------------------------------ roles

function roleHash(name: string): Bytes {
  return Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(name)));
}

/** The role's name: ORGANIZER (0x00, AccessControl's DEFAULT_ADMIN_ROLE), GATE, FINANCE, VOUCHER_SIGNER, or OTHER. */
export function roleName(role: Bytes): string {
  if (role.equals(Bytes.fromHexString("0x0000000000000000000000000000000000000000000000000000000000000000"))) {
    return "ORGANIZER";
  }
  if (role.equals(roleHash("GATE_ROLE"))) return "GATE";
  if (role.equals(roleHash("FINANCE_ROLE"))) return "FINANCE";
  if (role.equals(roleHash("VOUCHER_SIGNER_ROLE"))) return "VOUCHER_SIGNER";
  return "OTHER";
}

// ------------------------------------------------------------------ seats

/** A bytes16 section name up to its first zero byte, as UTF-8 (TicketRenderer._trim). */
export function sectionName(section: Bytes): string {
  let length = 0;
  while (length < section.length && section[length] != 0) length++;
  const trimmed = new Bytes(length);
  for (let i = 0; i < length; i++) trimmed[i] = section[i];
  return trimmed.toString();
}

/** Row 1 is "A", 26 is "Z", 27 is "AA" (TicketRenderer._letters); numbered rows as decimals. */
export function rowLabel(row: i32, lettered: boolean): string {
  if (!lettered) return row.toString();
  let out = "";
  let n = row;
  while (n != 0) {
    n -= 1;
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = n / 26;
  }
  return out;
}

/**
 * "Stalls, Row C, Seat 12" for seat `serial` of a seated tier, from the tier's SeatBlocks; null
 * when the tier has no seat map or the seat is outside it. Like TicketRenderer.seatLabel, a seat
 * whose number is 0 (a block with firstSeat 0) has no label.
 */
export function seatLabel(tier: Tier, serial: i32): string | null {
  if (!tier.seated || serial == 0) return null;
  let index = serial - 1;
  for (let i = 0; i < tier.seatBlockCount; i++) {
    const block = SeatBlock.load(seatBlockKey(tier.id, i));
    if (block == null) return null;
    const inBlock = block.rows * block.seatsPerRow;
    if (index < inBlock) {
      // uint16 arithmetic, as in EventTicketManager.seatOf
      const row = (block.firstRow + index / block.seatsPerRow) & 0xffff;
      const number = (block.firstSeat + (index % block.seatsPerRow)) & 0xffff;
      if (number == 0) return null;
      return block.section + ", Row " + rowLabel(row, block.letteredRows) + ", Seat " + number.toString();
    }
    index -= inBlock;
  }
  return null;
}
