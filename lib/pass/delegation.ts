// The PassDelegation EIP-712 type and signing it with the holder's wallet: through a viem
// wallet client (or account), or any EIP-1193 provider (eth_signTypedData_v4).
import {
  getTypesForEIP712Domain,
  hashTypedData,
  serializeTypedData,
  type Address,
  type Hex,
  type TypedDataDomain,
} from "viem";

import type { PassDelegation } from "./types.js";

export const PASS_DELEGATION_TYPES = {
  PassDelegation: [
    { name: "ticket", type: "address" },
    { name: "tokenId", type: "uint256" },
    { name: "passKey", type: "bytes32" },
    { name: "validUntil", type: "uint64" },
  ],
} as const;

export function passDomain(chainId: bigint, ticket: Address): TypedDataDomain {
  return { name: "Chainpass", version: "1", chainId, verifyingContract: ticket };
}

export function delegationTypedData(d: PassDelegation) {
  return {
    domain: passDomain(d.chainId, d.ticket),
    types: PASS_DELEGATION_TYPES,
    primaryType: "PassDelegation" as const,
    message: { ticket: d.ticket, tokenId: d.tokenId, passKey: d.passKey, validUntil: BigInt(d.validUntil) },
  };
}

/** The EIP-712 digest the wallet signs (and EIP-1271 wallets are asked about). */
export function delegationDigest(d: PassDelegation): Hex {
  return hashTypedData(delegationTypedData(d));
}

/** A viem wallet client with an account, or a viem local account. */
export interface ViemTypedDataSigner {
  signTypedData(args: ReturnType<typeof delegationTypedData> & { account?: unknown }): Promise<Hex>;
}

/** A browser wallet (window.ethereum, an EIP-6963 provider) or any EIP-1193 provider. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/**
 * Asks the holder's wallet to sign the delegation: the one wallet prompt of the pass. With an
 * EIP-1193 provider, `holder` is the account to sign with.
 */
export async function signDelegation(
  signer: ViemTypedDataSigner | Eip1193Provider,
  delegation: PassDelegation,
  holder?: Address,
): Promise<Hex> {
  const typedData = delegationTypedData(delegation);
  if ("signTypedData" in signer) return signer.signTypedData(typedData);
  if (!holder) throw new Error("signDelegation: an EIP-1193 provider needs the holder address");
  // Wallets hash the domain with the EIP712Domain type the JSON carries, so it must be there.
  const json = serializeTypedData({
    ...typedData,
    types: { EIP712Domain: getTypesForEIP712Domain({ domain: typedData.domain }), ...typedData.types },
  } as Parameters<typeof serializeTypedData>[0]);
  return (await signer.request({ method: "eth_signTypedData_v4", params: [holder, json] })) as Hex;
}
