// EIP-2612 permits for the event's ERC-20 currency: checkout signs one and sends it with the
// purchase in a single transaction (`multicall([permitCurrency(...), buy(...)])` on the event,
// contracts/ticket/TicketSales.sol), instead of an approve transaction and then the purchase.
// Used by the web app's checkout, the tests and bench:gas.
import { hexToNumber, size, slice, type Address, type Client, type Hex, type TypedDataDomain } from "viem";
import { readContract } from "viem/actions";

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface Permit {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  /** Unix seconds. */
  deadline: bigint;
}

/** What a token answers for permits: EIP-712 domain (ERC-5267 or name/version) and nonces. */
const PERMIT_READS = [
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
  { type: "function", name: "name", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
  { type: "function", name: "version", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
  { type: "function", name: "nonces", stateMutability: "view", inputs: [{ name: "owner", type: "address" }], outputs: [{ name: "", type: "uint256" }] },
] as const;

/**
 * The token's permit domain and `owner`'s next nonce, or undefined when the token has no
 * EIP-2612 permit (then checkout approves first). The domain comes from ERC-5267's
 * `eip712Domain()` where the token has it (OpenZeppelin's tokens), else from `name()` and
 * `version()` (Circle's USDC).
 */
export async function readPermitSupport(client: Client, token: Address, owner: Address): Promise<{ domain: TypedDataDomain; nonce: bigint } | undefined> {
  let nonce: bigint;
  try {
    nonce = await readContract(client, { address: token, abi: PERMIT_READS, functionName: "nonces", args: [owner] });
  } catch {
    return undefined;
  }
  try {
    const [, name, version, chainId, verifyingContract] = await readContract(client, { address: token, abi: PERMIT_READS, functionName: "eip712Domain" });
    return { domain: { name, version, chainId: Number(chainId), verifyingContract }, nonce };
  } catch {
    // Not ERC-5267: the domain USDC (FiatTokenV2) signs with.
  }
  try {
    const [name, version] = await Promise.all([
      readContract(client, { address: token, abi: PERMIT_READS, functionName: "name" }),
      readContract(client, { address: token, abi: PERMIT_READS, functionName: "version" }),
    ]);
    const chainId = client.chain?.id;
    if (chainId === undefined) return undefined;
    return { domain: { name, version, chainId, verifyingContract: token }, nonce };
  } catch {
    return undefined;
  }
}

export function permitTypedData(domain: TypedDataDomain, permit: Permit) {
  return { domain, types: PERMIT_TYPES, primaryType: "Permit" as const, message: permit };
}

/**
 * A permit's 65-byte signature (r, s, v) as `permitCurrency` takes it. Split by hand: viem's
 * parseSignature brings the secp256k1 curve into checkout's first load for a byte split.
 */
export function permitSignatureParts(signature: Hex): { v: number; r: Hex; s: Hex } {
  if (size(signature) !== 65) throw new Error(`a permit signature is 65 bytes, not ${size(signature)}`);
  const v = hexToNumber(slice(signature, 64, 65));
  // Some wallets give the recovery id as 0/1 instead of 27/28.
  return { r: slice(signature, 0, 32), s: slice(signature, 32, 64), v: v < 27 ? v + 27 : v };
}
