// An EOA's signature recovered with no network (the offline scanner, gate/offline.ts).
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { publicKeyToAddress } from "viem/accounts";

import { recoverableSignature } from "../../../lib/pass/index.js";

/**
 * The signer of an EOA's 65-byte ECDSA signature (r ‖ s ‖ v) of `digest`, by @noble/curves loaded
 * with this module. lib/pass recovers through viem, which loads its secp256k1 code with import()
 * on first use: in a build that is a chunk fetched from the network, which an offline device
 * cannot (every pass would be refused as unverifiable). Undefined if it does not recover.
 */
export function recoverSigner(digest: Hex, signature: Hex): Address | undefined {
  const parts = recoverableSignature(signature);
  if (!parts) return undefined;
  try {
    const point = secp256k1.Signature.fromBytes(parts.compact, "compact").addRecoveryBit(parts.recovery).recoverPublicKey(hexToBytes(digest));
    return publicKeyToAddress(bytesToHex(point.toBytes(false)));
  } catch {
    return undefined;
  }
}

