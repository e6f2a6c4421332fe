// Discount codes: VoucherRedeemed, VoucherRevoked. A code bought with points (PointsRedeemed) makes
// its ticket's points given back if it is refunded or returned (membership.ts).
import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";

import { VoucherRedeemed, VoucherRevoked } from "../generated/templates/EventTicket/IChainpassEvent";
import { Voucher } from "../generated/schema";
import { notePointsVoucher } from "./membership";
import { getOrCreatePendingPurchase } from "./sales";

function getOrCreateVoucher(eventAddress: Address, codeId: Bytes): Voucher {
  const id = eventAddress.concat(codeId);
  let voucher = Voucher.load(id);
  if (voucher == null) {
    voucher = new Voucher(id);
    voucher.event = eventAddress;
    voucher.codeId = codeId;
    voucher.uses = BigInt.zero();
    voucher.discountTotal = BigInt.zero();
    voucher.revoked = false;
  }
  return voucher;
}

/**
 * Logged before the purchase's mints and its TicketsPurchased: the code and the discount wait in
 * the transaction's PendingPurchase for the Sale.
 */
export function handleVoucherRedeemed(event: VoucherRedeemed): void {
  const voucher = getOrCreateVoucher(event.address, event.params.codeId);
  voucher.uses = voucher.uses.plus(event.params.quantity);
  voucher.discountTotal = voucher.discountTotal.plus(event.params.discount);
  voucher.save();

  const pending = getOrCreatePendingPurchase(event.address, event.transaction.hash);
  pending.voucher = voucher.id;
  pending.discount = event.params.discount;
  notePointsVoucher(event.params.codeId, pending);
  pending.save();
}

export function handleVoucherRevoked(event: VoucherRevoked): void {
  const voucher = getOrCreateVoucher(event.address, event.params.codeId);
  voucher.revoked = true;
  voucher.save();
}
