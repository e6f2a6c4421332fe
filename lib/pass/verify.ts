// Verifying a scanned pass, for the gate. Cheap, local checks first, the network last:
//   1. the pass parses;                                   malformed
//   2. it is for this chain and this event;               wrong-chain, wrong-event
//   3. its frame is signed by the delegated pass key,     bad-frame-signature
//      fresh, and the delegation has not expired;         future-frame, stale-frame, delegation-expired
//   4. the ticket exists and the pass's holder owns it;   delegation-not-by-owner
//   5. the holder signed the delegation: an EOA's signature is recovered locally; otherwise the
//      holder's contract wallet is asked (EIP-1271), which may need the network;
//                                                         delegation-not-by-owner, cannot-verify-offline
//   6. the holder is not denied, the ticket is unused and inside its entry slot.
//                                                         denied, already-used, too-early, outside-time-slot
// Steps 4-6 read the gate's view of the chain. When their answer is an admission, or a refusal
// that a newer view could turn around (the ticket changed hands, the deny list changed), the
// gate brings its view up to date (`prepare`) and they run again: nothing is admitted from an
// old view, and a ticket already used or a pass already refused does not wait for it.
// Every refusal names its reason.
//
// Cost: one Ed25519 verification (about 8,000 a second per core with Node's crypto) per scan; the
// delegation's digest and the secp256k1 recovery of its signer are computed once per delegation
// and cached. The recovery is viem's (JavaScript, 1.3 to 2 ms each) unless the cache is given a
// faster one: the gate's is libsecp256k1 in WebAssembly (server/gate/recover-signer.ts).
import { ed25519 } from "@noble/curves/ed25519.js";
import { getAddress, hexToBytes, isAddressEqual, recoverAddress, type Address, type Hex } from "viem";

import { decodePass } from "./codec.js";
import { delegationDigest } from "./delegation.js";
import { frameMessage } from "./pass-key.js";
import { FRAME_INTERVAL_SECONDS, type Pass, type RefusalReason, type Verdict } from "./types.js";

type MaybePromise<T> = T | Promise<T>;

/** Thrown by `isValidContractSignature` when the wallet cannot be asked (the RPC is down). */
export class CannotVerifyOffline extends Error {}

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
  /**
   * Brings the view of the chain up to date before a verdict that depends on it (see the file
   * comment); called at most once, after the pass itself was found sound (steps 1-3).
   */
  prepare?(tokenId: bigint): MaybePromise<void>;
  /** The ticket's current owner, or undefined if no such ticket exists (never minted, refunded). */
  ownerOf(tokenId: bigint): MaybePromise<Address | undefined>;
  isCheckedIn(tokenId: bigint): MaybePromise<boolean>;
  /** [start, end) in unix seconds, or undefined when the ticket may enter at any time. */
  entryWindow?(tokenId: bigint): MaybePromise<{ start: number; end: number } | undefined>;
  isDenied?(account: Address): MaybePromise<boolean>;
  /**
   * EIP-1271 check for contract wallets (an `isValidSignature` call); absent: EOAs only. May
   * throw CannotVerifyOffline.
   */
  isValidContractSignature?(holder: Address, digest: Hex, signature: Hex): Promise<boolean>;
  /** Shared across calls so each delegation is hashed and recovered once. */
  cache?: DelegationCache;
  /**
   * Verifies the frame's Ed25519 signature (default: `verifyEd25519`, on the calling thread; the
   * gate checks a backup code instead, which stands for the frame).
   */
  verifyFrame?(publicKey: Hex, message: Uint8Array, signature: Hex): MaybePromise<boolean>;
}

interface DelegationEntry {
  digest: Hex;
  /** Whether the wallet signature recovers (secp256k1) to the pass's holder. */
  recoversToHolder: boolean;
}

/**
 * The address whose key made `signature` (65 bytes: r, s, v as 0/1 or 27/28) over `digest`, or
 * undefined when it recovers to none. Implementations must agree on every input
 * (test/server/recover-signer.test.ts holds the gate's and the offline scanner's to viem's).
 */
export type RecoverSigner = (digest: Hex, signature: Hex) => MaybePromise<Address | undefined>;

/** viem's recovery (@noble/curves): runs everywhere, the browser's offline scanner included. */
export const recoverSignerWithViem: RecoverSigner = (digest, signature) => recoverAddress({ hash: digest, signature }).catch(() => undefined);

/**
 * Remembers each delegation's digest and whether it recovers to its holder (at most `maxEntries`,
 * 200,000 unless given, oldest out), recovering with `recoverSigner` (viem's unless given).
 */
export class DelegationCache {
  private readonly entries = new Map<string, Promise<DelegationEntry>>();
  private readonly maxEntries: number;
  private readonly recoverSigner: RecoverSigner;

  constructor(options: { maxEntries?: number; recoverSigner?: RecoverSigner } = {}) {
    this.maxEntries = options.maxEntries ?? 200_000;
    this.recoverSigner = options.recoverSigner ?? recoverSignerWithViem;
  }

  get size() {
    return this.entries.size;
  }

  resolve(pass: Pass): Promise<DelegationEntry> {
    const d = pass.delegation;
    const key = `${d.chainId}|${d.ticket}|${d.tokenId}|${d.passKey}|${d.validUntil}|${pass.holder}|${pass.walletSignature}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = checkDelegation(pass, this.recoverSigner);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
    }
    return entry;
  }
}

async function checkDelegation(pass: Pass, recoverSigner: RecoverSigner): Promise<DelegationEntry> {
  const digest = delegationDigest(pass.delegation);
  let recoversToHolder = false;
  if (hexToBytes(pass.walletSignature).length === 65) {
    let signer: Address | undefined;
    try {
      signer = await recoverSigner(digest, pass.walletSignature);
    } catch {
      signer = undefined; // a recovery that throws (it should answer undefined) refuses the delegation, not the request
    }
    recoversToHolder = signer !== undefined && isAddressEqual(signer, pass.holder);
  }
  return { digest, recoversToHolder };
}

// Node's crypto verifies Ed25519 natively; elsewhere (browsers) @noble/curves does it in JS.
type NodeCrypto = typeof import("node:crypto");
const nodeCrypto: NodeCrypto | undefined =
  typeof process !== "undefined" && process.versions?.node ? await import("node:crypto") : undefined;
const nodeKeys = new Map<string, import("node:crypto").KeyObject>();

/** Node's key object for a raw Ed25519 public key (cached), or undefined if it is not a point on the curve. */
function nodeKey(crypto: NodeCrypto, publicKey: Hex) {
  let key = nodeKeys.get(publicKey);
  if (!key) {
    try {
      const x = Buffer.from(hexToBytes(publicKey)).toString("base64url");
      key = crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
    } catch {
      return undefined;
    }
    if (nodeKeys.size > 200_000) nodeKeys.clear();
    nodeKeys.set(publicKey, key);
  }
  return key;
}

export function verifyEd25519(publicKey: Hex, message: Uint8Array, signature: Hex): boolean {
  const sig = hexToBytes(signature);
  if (!nodeCrypto) {
    try {
      return ed25519.verify(sig, message, hexToBytes(publicKey));
    } catch {
      return false;
    }
  }
  const key = nodeKey(nodeCrypto, publicKey);
  return key ? nodeCrypto.verify(null, message, key, sig) : false;
}

const defaultCache = new DelegationCache();

function refuse(reason: RefusalReason, detail: string, tokenId?: bigint): Verdict {
  return { ok: false, reason, detail, tokenId };
}

/** Checks a scanned pass (its QR text, or a decoded Pass) against the gate's view of the event. */
export async function verifyPass(input: string | Pass, ctx: VerifyContext): Promise<Verdict> {
  // 1-2: the pass, its chain and event
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

  // 3: the frame and the delegation's terms (a bad signature is named first)
  const delegation = await (ctx.cache ?? defaultCache).resolve(pass);
  const frameSigned = await (ctx.verifyFrame ?? verifyEd25519)(d.passKey, frameMessage(delegation.digest, tokenId, pass.timestamp), pass.frameSignature);
  if (!frameSigned) return refuse("bad-frame-signature", "the frame was not signed by the delegated pass key", tokenId);
  const terms = frameTerms(pass, ctx);
  if (terms) return terms;

  const verdict = await checkTicket(pass, delegation, ctx);
  if (!ctx.prepare || !(verdict.ok || verdict.reason === "delegation-not-by-owner" || verdict.reason === "denied")) return verdict;
  await ctx.prepare(tokenId);
  return checkTicket(pass, delegation, ctx);
}

/** Step 3's terms: the frame's time, the delegation's expiry and ticket; undefined when they hold. */
function frameTerms(pass: Pass, ctx: VerifyContext): Verdict | undefined {
  const { delegation: d, tokenId } = pass;
  const maxAge = ctx.maxFrameAge ?? 2 * FRAME_INTERVAL_SECONDS + 5;
  const skew = ctx.maxClockSkew ?? 5;
  if (pass.timestamp > ctx.now + skew) return refuse("future-frame", `frame is ${pass.timestamp - ctx.now} s ahead`, tokenId);
  if (ctx.now - pass.timestamp > maxAge) return refuse("stale-frame", `frame is ${ctx.now - pass.timestamp} s old`, tokenId);
  if (d.validUntil <= ctx.now) return refuse("delegation-expired", `delegation expired at ${d.validUntil}`, tokenId);
  if (d.tokenId !== 0n && d.tokenId !== tokenId) return refuse("delegation-not-by-owner", `the delegation is for ticket ${d.tokenId}, not ${tokenId}`, tokenId);
  return undefined;
}

/** Steps 4-6: the ticket and its holder, as the gate's view of the chain has them now. */
async function checkTicket(pass: Pass, delegation: DelegationEntry, ctx: VerifyContext): Promise<Verdict> {
  const tokenId = pass.tokenId;
  // 4: the ticket now
  const owner = await ctx.ownerOf(tokenId);
  if (!owner) return refuse("delegation-not-by-owner", `ticket ${tokenId} does not exist`, tokenId);
  if (!isAddressEqual(owner, pass.holder)) return refuse("delegation-not-by-owner", `ticket ${tokenId} now belongs to ${getAddress(owner)}`, tokenId);

  // 5: the holder's signature, locally for an EOA, by asking the wallet for a contract
  let signed = delegation.recoversToHolder;
  if (!signed && ctx.isValidContractSignature) {
    try {
      signed = await ctx.isValidContractSignature(pass.holder, delegation.digest, pass.walletSignature);
    } catch (error) {
      if (error instanceof CannotVerifyOffline) return refuse("cannot-verify-offline", error.message, tokenId);
      throw error;
    }
  }
  if (!signed) {
    const why = pass.walletSignature === "0x" ? `no signature of ${pass.holder}'s for this delegation was registered with the gate` : `the delegation was not signed by ${pass.holder}`;
    return refuse("delegation-not-by-owner", why, tokenId);
  }

  return checkAtDoor(tokenId, owner, ctx);
}

/**
 * Step 6 alone: the ticket's owner and the ticket at this door (deny list, used, entry slot). The
 * gate also runs it for a ticket staff looked up and admit by hand, where no pass is shown.
 */
export async function checkAtDoor(tokenId: bigint, owner: Address, ctx: Pick<VerifyContext, "now" | "isCheckedIn" | "entryWindow" | "isDenied">): Promise<Verdict> {
  if (await ctx.isDenied?.(owner)) return refuse("denied", `${getAddress(owner)} is on the deny list`, tokenId);
  if (await ctx.isCheckedIn(tokenId)) return refuse("already-used", `ticket ${tokenId} was already admitted`, tokenId);
  const slot = await ctx.entryWindow?.(tokenId);
  if (slot && ctx.now < slot.start) return refuse("too-early", `entry is from ${slot.start} until ${slot.end}`, tokenId);
  if (slot && ctx.now >= slot.end) return refuse("outside-time-slot", `entry was from ${slot.start} until ${slot.end}`, tokenId);
  return { ok: true, tokenId, holder: owner };
}
