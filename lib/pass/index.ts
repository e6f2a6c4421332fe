// lib/pass: the ticket pass protocol (docs/ARCHITECTURE.md section 3). The fan app makes passes, the gate
// verifies them; both use only this module.
import { encodePass } from "./codec.js";
import { delegationDigest } from "./delegation.js";
import { signFrame, type PassKey } from "./pass-key.js";
import type { Pass, PassDelegation } from "./types.js";

export * from "./backup-code.js";
export * from "./codec.js";
export * from "./delegation.js";
export * from "./pass-key.js";
export * from "./signer.js";
export * from "./types.js";
export * from "./verify.js";

/** The QR text for `tokenId` now: signs a fresh frame with the pass key under a delegation. */
export async function makePass(args: {
  passKey: PassKey;
  delegation: PassDelegation;
  holder: Pass["holder"];
  walletSignature: Pass["walletSignature"];
  tokenId: bigint;
  /** Unix seconds (default: now). */
  now?: number;
}): Promise<string> {
  const timestamp = args.now ?? Math.floor(Date.now() / 1000);
  const frameSignature = await signFrame(args.passKey, delegationDigest(args.delegation), args.tokenId, timestamp);
  return encodePass({
    delegation: args.delegation,
    holder: args.holder,
    walletSignature: args.walletSignature,
    tokenId: args.tokenId,
    timestamp,
    frameSignature,
  });
}
