// The gate's secp256k1 recovery of a delegation's signer: libsecp256k1 compiled to WebAssembly
// (tiny-secp256k1). bench:gate measures verifyPass of a fan not seen before at 1,805 a second on
// one core with it, 508 with viem's JavaScript recovery. Each delegation is recovered once per
// gate process (DelegationCache), but at a real door nearly every admission is a fan the gate
// has not seen. The browser keeps @noble/curves: no WebAssembly module in the scanner's bundle.
import { recover } from "tiny-secp256k1";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { publicKeyToAddress } from "viem/accounts";

import { recoverableSignature, type RecoverSigner } from "../../lib/pass/index.js";

/** A RecoverSigner (lib/pass), answering at once. */
export function recoverSigner(digest: Hex, signature: Hex): Address | undefined {
  const parts = recoverableSignature(signature);
  if (!parts) return undefined;
  try {
    const hash = hexToBytes(digest);
    // Throws for r or s zero or not below the curve order, and for an r that is no point's x.
    const publicKey = recover(hash, parts.compact, parts.recovery, false);
    return publicKey ? publicKeyToAddress(bytesToHex(publicKey)) : undefined;
  } catch {
    return undefined;
  }
}

recoverSigner satisfies RecoverSigner;
