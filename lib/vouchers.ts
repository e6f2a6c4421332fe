// Discount vouchers: the EIP-712 type EventTicket verifies, and a helper to sign one. Used by the
// organizer console (to issue codes), the server and the tests; the contract side is
// contracts/ticket/TicketVouchers.sol.
import { bytesToHex, type Address, type Hex, type TypedDataDomain } from "viem";

export interface Voucher {
  eventAddress: Address;
  /** 0n: any tier. */
  tierId: bigint;
  /** Basis points off (exactly one of percentOffBps and amountOff is non-zero). */
  percentOffBps: number;
  /** Off each ticket, in the event currency's smallest unit. */
  amountOff: bigint;
  maxUses: number;
  /** Unix seconds. */
  expiresAt: number;
  /** Zero address: anyone may use it. */
  buyer: Address;
  /** The organizer or a VOUCHER_SIGNER of the event. */
  signer: Address;
  codeId: Hex;
}

export const VOUCHER_TYPES = {
  Voucher: [
    { name: "eventAddress", type: "address" },
    { name: "tierId", type: "uint256" },
    { name: "percentOffBps", type: "uint16" },
    { name: "amountOff", type: "uint96" },
    { name: "maxUses", type: "uint32" },
    { name: "expiresAt", type: "uint40" },
    { name: "buyer", type: "address" },
    { name: "signer", type: "address" },
    { name: "codeId", type: "bytes32" },
  ],
} as const;

/** The domain is bound to one event contract on one chain: a voucher is useless elsewhere. */
export function voucherDomain(chainId: number | bigint, eventAddress: Address): TypedDataDomain {
  return { name: "Chainpass", version: "1", chainId: Number(chainId), verifyingContract: eventAddress };
}

/** Anything that signs EIP-712 typed data the viem way (a viem account or wallet client). */
export interface TypedDataSigner {
  signTypedData(args: {
    domain: TypedDataDomain;
    types: typeof VOUCHER_TYPES;
    primaryType: "Voucher";
    message: Voucher;
  }): Promise<Hex>;
}

export function voucherTypedData(chainId: number | bigint, voucher: Voucher) {
  return {
    domain: voucherDomain(chainId, voucher.eventAddress),
    types: VOUCHER_TYPES,
    primaryType: "Voucher" as const,
    message: voucher,
  };
}

export function signVoucher(signer: TypedDataSigner, chainId: number | bigint, voucher: Voucher): Promise<Hex> {
  return signer.signTypedData(voucherTypedData(chainId, voucher));
}

/** A voucher code as people type it, turned into the bytes32 code id the contract counts uses by. */
export function codeIdFor(code: string): Hex {
  const bytes = new TextEncoder().encode(code.trim().toUpperCase());
  if (bytes.length === 0 || bytes.length > 32) throw new Error("A voucher code has 1 to 32 characters");
  return `${bytesToHex(bytes)}${"00".repeat(32 - bytes.length)}`; // no Buffer: browsers use this too
}

/** The zero voucher: "no voucher" in PurchaseOptions and priceOf. */
export const NO_VOUCHER: Voucher = {
  eventAddress: "0x0000000000000000000000000000000000000000",
  tierId: 0n,
  percentOffBps: 0,
  amountOff: 0n,
  maxUses: 0,
  expiresAt: 0,
  buyer: "0x0000000000000000000000000000000000000000",
  signer: "0x0000000000000000000000000000000000000000",
  codeId: "0x0000000000000000000000000000000000000000000000000000000000000000",
};
