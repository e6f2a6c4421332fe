// An EOA's signature recovered with no network (the offline scanner, gate/offline.ts).
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { getAddress, hexToBytes, keccak256, type Address, type Hex } from "viem";

/**
 * The signer of an EOA's 65-byte ECDSA signature (r ‖ s ‖ v) of `digest`, by @noble/curves loaded
 * with this module. lib/pass recovers through viem, which loads its secp256k1 code with import()
 * on first use: in a build that is a chunk fetched from the network, which an offline device
 * cannot (every pass would be refused as unverifiable). Undefined if it does not recover.
 */
export function recoverSigner(digest: Hex, signature: Hex): Address | undefined {
  try {
    const bytes = hexToBytes(signature);
    if (bytes.length !== 65) return undefined;
    const v = bytes[64];
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery !== 0 && recovery !== 1) return undefined;
    const point = secp256k1.Signature.fromBytes(bytes.subarray(0, 64), "compact").addRecoveryBit(recovery).recoverPublicKey(hexToBytes(digest));
    return getAddress(`0x${keccak256(point.toBytes(false).subarray(1)).slice(-40)}`);
  } catch {
    return undefined;
  }
}

