// Verifying a scanned pass, for the gate. Order of checks: the pass must parse, be for this
// chain and this event, carry a frame signed by its pass key that is fresh, under a delegation
// that has not expired and was signed by the ticket's current owner, who is not denied; the
// ticket must be unused and inside its entry slot. Every refusal names its reason.
//
// Cost: Ed25519 (about 8,000 verifications a second per core with Node's crypto) per scan; the
// delegation's digest and the secp256k1 recovery of its signer (hundreds a second in JS) are
// computed once per delegation and cached.
import { ed25519 } from "@noble/curves/ed25519.js";
import { hexToBytes, isAddressEqual, recoverTypedDataAddress, type Address, type Hex } from "viem";

import { decodePass } from "./codec.js";
import { delegationDigest, delegationTypedData } from "./delegation.js";
import { frameMessage } from "./pass-key.js";
import { FRAME_INTERVAL_SECONDS, type Pass, type RefusalReason, type Verdict } from "./types.js";

type MaybePromise<T> = T | Promise<T>;

export interface VerifyContext {
  chainId: bigint;
  /** The event this gate admits to. */
  ticket: Address;
  /** Unix seconds. */
  now: number;
  /** Oldest frame accepted, in seconds (default: two rotations plus 5 s of clock skew). */
  maxFrameAge?: number;
  /** Phone clocks may run ahead by this much (default 5 s). */
  maxClockSkew?: number;
  /** The ticket's current owner, or undefined if no such ticket exists (never minted, refunded). */
  ownerOf(tokenId: bigint): MaybePromise<Address | undefined>;
  isCheckedIn(tokenId: bigint): MaybePromise<boolean>;
  /** [start, end) in unix seconds, or undefined when the ticket may enter at any time. */
  entryWindow?(tokenId: bigint): MaybePromise<{ start: number; end: number } | undefined>;
  isDenied?(account: Address): MaybePromise<boolean>;
  /** EIP-1271 check for contract wallets (an `isValidSignature` call); absent: EOAs only. */
  isValidContractSignature?(holder: Address, digest: Hex, signature: Hex): Promise<boolean>;
  /** Shared across calls so each delegation is hashed and recovered once. */
  cache?: DelegationCache;
}

interface DelegationEntry {
  digest: Hex;
  signedByHolder: boolean;
}

/** Remembers each delegation's digest and whether its holder signed it (bounded, oldest out). */
export class DelegationCache {
  private readonly entries = new Map<string, Promise<DelegationEntry>>();
  constructor(private readonly maxEntries = 200_000) {}

  get size() {
    return this.entries.size;
  }

  resolve(pass: Pass, ctx: VerifyContext): Promise<DelegationEntry> {
    const d = pass.delegation;
    const key = `${d.chainId}|${d.ticket}|${d.tokenId}|${d.passKey}|${d.validUntil}|${pass.holder}|${pass.walletSignature}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = checkDelegation(pass, ctx);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
      // A failed EIP-1271 call (RPC down) must not be remembered as a verdict.
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }
}

async function checkDelegation(pass: Pass, ctx: VerifyContext): Promise<DelegationEntry> {
  const digest = delegationDigest(pass.delegation);
  let signedByHolder = false;
  if (hexToBytes(pass.walletSignature).length === 65) {
    try {
      const signer = await recoverTypedDataAddress({
        ...delegationTypedData(pass.delegation),
        signature: pass.walletSignature,
      });
      signedByHolder = isAddressEqual(signer, pass.holder);
    } catch {
      signedByHolder = false;
    }
  }
  if (!signedByHolder && ctx.isValidContractSignature) {
    signedByHolder = await ctx.isValidContractSignature(pass.holder, digest, pass.walletSignature);
  }
  return { digest, signedByHolder };
}

// Node's crypto verifies Ed25519 natively; elsewhere (browsers) @noble/curves does it in JS.
type NodeCrypto = typeof import("node:crypto");
const nodeCrypto: NodeCrypto | undefined =
  typeof process !== "undefined" && process.versions?.node ? await import("node:crypto") : undefined;
const nodeKeys = new Map<string, import("node:crypto").KeyObject>();

export function verifyEd25519(publicKey: Hex, message: Uint8Array, signature: Hex): boolean {
  const sig = hexToBytes(signature);
  if (!nodeCrypto) {
    try {
      return ed25519.verify(sig, message, hexToBytes(publicKey));
    } catch {
      return false;
    }
  }
  let key = nodeKeys.get(publicKey);
  if (!key) {
    try {
      const x = Buffer.from(hexToBytes(publicKey)).toString("base64url");
      key = nodeCrypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
    } catch {
      return false; // not a point on the curve
    }
    if (nodeKeys.size > 200_000) nodeKeys.clear();
    nodeKeys.set(publicKey, key);
  }
  return nodeCrypto.verify(null, message, key, sig);
}

const defaultCache = new DelegationCache();

function refuse(reason: RefusalReason, detail: string, tokenId?: bigint): Verdict {
  return { ok: false, reason, detail, tokenId };
}

/** Checks a scanned pass (its QR text, or a decoded Pass) against the gate's view of the event. */
export async function verifyPass(input: string | Pass, ctx: VerifyContext): Promise<Verdict> {
  let pass: Pass;
  try {
    pass = typeof input === "string" ? decodePass(input) : input;
  } catch (error) {
    return refuse("malformed", (error as Error).message);
  }
  const d = pass.delegation;
  const tokenId = pass.tokenId;
  if (d.chainId !== ctx.chainId) return refuse("wrong-chain", `pass is for chain ${d.chainId}, gate is on ${ctx.chainId}`, tokenId);
  if (!isAddressEqual(d.ticket, ctx.ticket)) return refuse("wrong-event", `pass is for event ${d.ticket}`, tokenId);

  const delegation = await (ctx.cache ?? defaultCache).resolve(pass, ctx);
  if (!verifyEd25519(d.passKey, frameMessage(delegation.digest, tokenId, pass.timestamp), pass.frameSignature)) {
    return refuse("bad-frame-signature", "the frame was not signed by the delegated pass key", tokenId);
  }
  const maxAge = ctx.maxFrameAge ?? 2 * FRAME_INTERVAL_SECONDS + 5;
  const skew = ctx.maxClockSkew ?? 5;
  if (pass.timestamp > ctx.now + skew) return refuse("future-frame", `frame is ${pass.timestamp - ctx.now} s ahead`, tokenId);
  if (ctx.now - pass.timestamp > maxAge) return refuse("stale-frame", `frame is ${ctx.now - pass.timestamp} s old`, tokenId);
  if (d.validUntil <= ctx.now) return refuse("delegation-expired", `delegation expired at ${d.validUntil}`, tokenId);
  if (!delegation.signedByHolder) {
    return refuse("delegation-not-by-owner", `the delegation was not signed by ${pass.holder}`, tokenId);
  }

  const owner = await ctx.ownerOf(tokenId);
  if (!owner) return refuse("delegation-not-by-owner", `ticket ${tokenId} does not exist`, tokenId);
  if (!isAddressEqual(owner, pass.holder)) {
    return refuse("delegation-not-by-owner", `ticket ${tokenId} now belongs to ${owner}`, tokenId);
  }
  if (await ctx.isDenied?.(owner)) return refuse("denied", `${owner} is on the deny list`, tokenId);
  if (await ctx.isCheckedIn(tokenId)) return refuse("already-used", `ticket ${tokenId} was already admitted`, tokenId);
  const slot = await ctx.entryWindow?.(tokenId);
  if (slot && (ctx.now < slot.start || ctx.now >= slot.end)) {
    return refuse("outside-time-slot", `entry is from ${slot.start} until ${slot.end}`, tokenId);
  }
  return { ok: true, tokenId, holder: owner };
}
