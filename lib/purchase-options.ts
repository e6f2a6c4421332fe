// buyWith's options (the contracts' PurchaseOptions) with what a purchase leaves out empty: the
// one list of its fields for scripts and tests, so a field the contract adds is added here once.
import { maxUint256, type Hex } from "viem";

import { NO_VOUCHER, type Voucher } from "./vouchers.js";

export interface PurchaseOptions {
  /** Seat ids of a seated tier (as many as tickets). */
  seats: bigint[];
  /** Allowlist proof and the allowance in its leaf, in a presale. */
  proof: Hex[];
  allowance: bigint;
  voucher: Voucher;
  voucherSignature: Hex;
  /** The most the buyer pays in all (no bound by default). */
  maxTotal: bigint;
  /** A calendar tier's slot (a run's performance); 0 otherwise. */
  slot: bigint;
  /** The sales channel credited; 0: none. */
  channel: bigint;
  /** A member's encoded proof (lib/membership.ts `encodeMemberProof`); "0x" for anyone else. */
  member: Hex;
}

export function purchaseOptions(overrides: Partial<PurchaseOptions> = {}): PurchaseOptions {
  return { seats: [], proof: [], allowance: 0n, voucher: NO_VOUCHER, voucherSignature: "0x", maxTotal: maxUint256, slot: 0n, channel: 0n, member: "0x", ...overrides };
}
