// Discount codes: VoucherRedeemed, VoucherRevoked. A code bought with points (PointsRedeemed) makes
// its ticket's points given back if it is refunded or returned (membership.ts). Mirror of
// subgraph/src/vouchers.ts.
import type { Hex } from "viem";

import type { Voucher } from "../generated/entities.js";
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { concat } from "./helpers.js";
import { notePointsVoucher } from "./membership.js";
import { getOrCreatePendingPurchase } from "./sales.js";

function getOrCreateVoucher(store: HandlerStore, eventAddress: Hex, codeId: Hex): Voucher {
  const id = concat(eventAddress, codeId);
  return store.load("Voucher", id) ?? { id, event: eventAddress, codeId, uses: 0n, discountTotal: 0n, revoked: false };
}

/**
 * Logged before the purchase's mints and its TicketsPurchased: the code and the discount wait in
 * the transaction's PendingPurchase for the Sale.
 */
export function handleVoucherRedeemed(event: TicketEvent<"VoucherRedeemed">, store: HandlerStore) {
  const voucher = getOrCreateVoucher(store, event.address, event.params.codeId);
  voucher.uses += event.params.quantity;
  voucher.discountTotal += event.params.discount;
  store.save("Voucher", voucher);

  const pending = getOrCreatePendingPurchase(store, event.address, event.transaction.hash);
  pending.voucher = voucher.id;
  pending.discount = event.params.discount;
  notePointsVoucher(store, event.params.codeId, pending);
  store.save("PendingPurchase", pending);
}

export function handleVoucherRevoked(event: TicketEvent<"VoucherRevoked">, store: HandlerStore) {
  const voucher = getOrCreateVoucher(store, event.address, event.params.codeId);
  voucher.revoked = true;
  store.save("Voucher", voucher);
}
