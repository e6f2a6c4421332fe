// The pass key: an Ed25519 key pair that stays on the phone and signs a frame every 15 seconds,
// so showing a ticket never needs a wallet prompt. WebCrypto where the browser has Ed25519 (the
// private key is then non-extractable), @noble/curves otherwise.
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, concat, hexToBytes, numberToBytes, type Hex } from "viem";

export interface PassKey {
  /** Raw Ed25519 public key. */
  publicKey: Hex;
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** The WebCrypto key pair, when there is one (store it in IndexedDB to keep it). */
  cryptoKeyPair?: CryptoKeyPair;
}

const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;

async function webCryptoPassKey(): Promise<PassKey | undefined> {
  if (!subtle) return undefined;
  try {
    const pair = (await subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    return fromCryptoKeyPair(pair);
  } catch {
    return undefined; // no Ed25519 in this browser's WebCrypto
  }
}

/** Rebuilds a pass key from a stored WebCrypto key pair. */
export async function fromCryptoKeyPair(pair: CryptoKeyPair): Promise<PassKey> {
  const raw = new Uint8Array(await subtle!.exportKey("raw", pair.publicKey));
  return {
    publicKey: bytesToHex(raw),
    cryptoKeyPair: pair,
    sign: async (message) => new Uint8Array(await subtle!.sign("Ed25519", pair.privateKey, message as BufferSource)),
  };
}

/** A pass key from a 32-byte secret (the JS fallback; also deterministic keys in tests). */
export function passKeyFromSecret(secret: Uint8Array | Hex): PassKey {
  const seed = typeof secret === "string" ? hexToBytes(secret) : secret;
  return {
    publicKey: bytesToHex(ed25519.getPublicKey(seed)),
    sign: async (message) => ed25519.sign(message, seed),
  };
}

export async function createPassKey(): Promise<PassKey> {
  return (await webCryptoPassKey()) ?? passKeyFromSecret(ed25519.utils.randomSecretKey());
}

const FRAME_TAG = new TextEncoder().encode("chainpass/frame/v1");

/**
 * The bytes a frame signature covers: a tag, the delegation's EIP-712 digest (which fixes the
 * chain, the event, the pass key and the expiry), the ticket shown and the time.
 */
export function frameMessage(delegationDigest: Hex, tokenId: bigint, timestamp: number): Uint8Array {
  return concat([FRAME_TAG, hexToBytes(delegationDigest), numberToBytes(tokenId, { size: 8 }), numberToBytes(timestamp, { size: 5 })]);
}

export async function signFrame(passKey: PassKey, delegationDigest: Hex, tokenId: bigint, timestamp: number): Promise<Hex> {
  return bytesToHex(await passKey.sign(frameMessage(delegationDigest, tokenId, timestamp)));
}
