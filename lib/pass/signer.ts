// What every secp256k1 engine recovering an EOA's signer shares: reading a 65-byte signature as
// viem does (the address of the recovered key is viem's publicKeyToAddress). The engines differ
// by where they run (server/gate/recover-signer.ts: libsecp256k1 in WebAssembly; the offline scanner's
// frontend/src/gate/recover-signer.ts: @noble/curves in its own chunk).
import { hexToBytes, type Hex } from "viem";

/** r ‖ s and the recovery bit of a 65-byte signature (v 0/1 or 27/28); undefined for any other. */
export function recoverableSignature(signature: Hex): { compact: Uint8Array; recovery: 0 | 1 } | undefined {
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(signature);
  } catch {
    return undefined; // not hex
  }
  if (bytes.length !== 65) return undefined;
  const v = bytes[64];
  const recovery = v === 0 || v === 27 ? 0 : v === 1 || v === 28 ? 1 : undefined;
  return recovery === undefined ? undefined : { compact: bytes.subarray(0, 64), recovery };
}

