// Gas sponsorship by ChainpassPaymaster (contracts/account/ChainpassPaymaster.sol): the EIP-712
// message the sponsor signs for a user operation, its validity window and the budget paying it,
// and the `paymasterData` that carries them. The server's sponsorship service signs with it; the
// tests check the contract accepts exactly this.
import { concat, numberToHex, type Address, type Hex } from "viem";
import { toPackedUserOperation, type UserOperation } from "viem/account-abstraction";

export const SPONSORSHIP_TYPES = {
  Sponsorship: [
    { name: "sender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "initCode", type: "bytes" },
    { name: "callData", type: "bytes" },
    { name: "accountGasLimits", type: "bytes32" },
    { name: "preVerificationGas", type: "uint256" },
    { name: "gasFees", type: "bytes32" },
    { name: "paymasterVerificationGasLimit", type: "uint256" },
    { name: "paymasterPostOpGasLimit", type: "uint256" },
    { name: "validAfter", type: "uint48" },
    { name: "validUntil", type: "uint48" },
    { name: "budget", type: "address" },
  ],
} as const;

export interface SponsorshipTerms {
  /** Unix seconds from and until which the sponsorship is valid (0 until: no end). */
  validAfter: number;
  validUntil: number;
  /** The budget that pays: an event's address, or the zero address for the platform's own. */
  budget: Address;
}

/** The typed data the sponsor signs for `userOperation` (its paymaster gas limits set). */
export function sponsorshipTypedData(userOperation: UserOperation<"0.8">, terms: SponsorshipTerms, domain: { chainId: number; paymaster: Address }) {
  // Packing needs the paymaster fields; the signature and paymasterData are not part of the message.
  const packed = toPackedUserOperation({ ...userOperation, paymasterData: userOperation.paymasterData ?? "0x", signature: "0x" });
  return {
    domain: { name: "Chainpass Paymaster", version: "1", chainId: domain.chainId, verifyingContract: domain.paymaster },
    types: SPONSORSHIP_TYPES,
    primaryType: "Sponsorship" as const,
    message: {
      sender: userOperation.sender,
      nonce: userOperation.nonce,
      initCode: packed.initCode,
      callData: userOperation.callData,
      accountGasLimits: packed.accountGasLimits,
      preVerificationGas: userOperation.preVerificationGas,
      gasFees: packed.gasFees,
      paymasterVerificationGasLimit: userOperation.paymasterVerificationGasLimit ?? 0n,
      paymasterPostOpGasLimit: userOperation.paymasterPostOpGasLimit ?? 0n,
      validAfter: terms.validAfter,
      validUntil: terms.validUntil,
      budget: terms.budget,
    },
  };
}

/** `paymasterData`: validAfter (6 bytes), validUntil (6), the budget (20), the sponsor's signature. */
export function encodePaymasterData(terms: SponsorshipTerms, signature: Hex): Hex {
  return concat([numberToHex(terms.validAfter, { size: 6 }), numberToHex(terms.validUntil, { size: 6 }), terms.budget, signature]);
}

/** A signature-shaped placeholder for gas estimation (the paymaster refuses it, without reverting). */
export const STUB_SPONSOR_SIGNATURE: Hex = `0x${"ff".repeat(64)}1c`;
