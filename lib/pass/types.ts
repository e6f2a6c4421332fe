// The ticket pass: what the fan's phone shows as a rotating QR code and the gate verifies.
// docs/ARCHITECTURE.md section 3 describes the protocol; this folder is its only implementation.
import type { Address, Hex } from "viem";

/** What the holder's wallet signs once (EIP-712): "this pass key may show my ticket(s)". */
export interface PassDelegation {
  chainId: bigint;
  /** The event (EventTicket) contract. */
  ticket: Address;
  /** A token id, or 0n for every ticket of this event the signer holds. */
  tokenId: bigint;
  /** Ed25519 public key of the pass key kept on the phone (32 bytes). */
  passKey: Hex;
  /** Unix seconds. */
  validUntil: number;
}

/** A decoded pass: a delegation, its wallet signature, and one signed frame. */
export interface Pass {
  delegation: PassDelegation;
  /** Who signed the delegation (an EOA, or a contract wallet checked with EIP-1271). */
  holder: Address;
  walletSignature: Hex;
  /** The ticket shown in this frame. */
  tokenId: bigint;
  /** Unix seconds at which the phone signed the frame. */
  timestamp: number;
  /** Ed25519 signature by the pass key over the frame message. */
  frameSignature: Hex;
}

/** Every reason a gate refuses a pass. A closed set: the gate and the UI translate each. */
export const REFUSAL_REASONS = [
  "malformed",
  "bad-frame-signature",
  "stale-frame",
  "future-frame",
  "delegation-expired",
  "delegation-not-by-owner",
  "wrong-chain",
  "wrong-event",
  "already-used",
  // A timed ticket before its entry slot: not a refusal of the ticket, come back later.
  "too-early",
  // After its entry slot.
  "outside-time-slot",
  "denied",
  // The holder is a contract wallet (EIP-1271) the gate has not verified before, and the chain
  // cannot be asked now: not a verdict on the pass, so the gate answers 503.
  "cannot-verify-offline",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type Verdict =
  | { ok: true; tokenId: bigint; holder: Address }
  | { ok: false; reason: RefusalReason; detail: string; tokenId?: bigint };

/** The phone signs a new frame this often. */
export const FRAME_INTERVAL_SECONDS = 15;
