// The pass as a QR code's text: compact binary, then base45 (RFC 9285), whose alphabet is the QR
// alphanumeric mode's, so the code stays small enough for a phone screen to show well.
//
// Binary layout, version 1 (big-endian integers; L = length of the wallet signature):
//
// | offset      | bytes | field                                                         |
// |-------------|-------|---------------------------------------------------------------|
// | 0           | 1     | version = 1                                                   |
// | 1           | 1     | flags: bit 0 = the delegation covers all the holder's tickets  |
// |             |       | of the event (its tokenId is 0); other bits must be 0          |
// | 2           | 8     | chain id                                                      |
// | 10          | 20    | event contract (the delegation's verifyingContract)           |
// | 30          | 8     | token id shown in this frame                                  |
// | 38          | 32    | pass key: Ed25519 public key                                  |
// | 70          | 5     | delegation validUntil, unix seconds                           |
// | 75          | 20    | holder: the wallet that signed the delegation                 |
// | 95          | 1     | L                                                             |
// | 96          | L     | wallet signature over the EIP-712 PassDelegation (65 for EOAs) |
// |             |       | or none (L = 0): a signature too long for a QR code (a smart   |
// |             |       | account's ERC-1271 one), registered with the gate beforehand   |
// | 96 + L      | 5     | frame timestamp, unix seconds                                 |
// | 101 + L     | 64    | frame signature by the pass key (Ed25519)                     |
//
// 230 bytes with an EOA signature; 345 base45 characters. 165 bytes (248 characters) with a
// registered signature.
import base45 from "base45";
import { bytesToHex, hexToBytes, type Address } from "viem";

import type { Pass } from "./types.js";

export const PASS_VERSION = 1;
const FLAG_ALL_TICKETS = 0x01;
const FIXED_BYTES = 165;
/** The longest wallet signature a frame carries; a longer one is registered with the gate (L = 0). */
export const MAX_QR_WALLET_SIGNATURE_BYTES = 255;
/** Longest text a pass can encode to (a 255-byte wallet signature): bounds what a gate parses. */
export const MAX_PASS_TEXT_LENGTH = Math.ceil(((FIXED_BYTES + 255) * 3) / 2);

export class PassFormatError extends Error {}

function writeUint(out: Uint8Array, offset: number, value: bigint, size: number) {
  if (value < 0n || value >= 1n << BigInt(size * 8)) throw new PassFormatError(`value ${value} does not fit ${size} bytes`);
  for (let i = size - 1; i >= 0; i--) {
    out[offset + i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

function readUint(bytes: Uint8Array, offset: number, size: number): bigint {
  let value = 0n;
  for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(bytes[offset + i]);
  return value;
}

export function passToBytes(pass: Pass): Uint8Array {
  const d = pass.delegation;
  const walletSignature = hexToBytes(pass.walletSignature);
  if (walletSignature.length > MAX_QR_WALLET_SIGNATURE_BYTES) {
    throw new PassFormatError("wallet signature must be at most 255 bytes (register a longer one with the gate)");
  }
  if (d.tokenId !== 0n && d.tokenId !== pass.tokenId) {
    throw new PassFormatError("the delegation is for another ticket than the frame shows");
  }
  const frameSignature = hexToBytes(pass.frameSignature);
  const passKey = hexToBytes(d.passKey);
  if (frameSignature.length !== 64 || passKey.length !== 32) throw new PassFormatError("bad key or frame signature size");

  const L = walletSignature.length;
  const out = new Uint8Array(FIXED_BYTES + L);
  out[0] = PASS_VERSION;
  out[1] = d.tokenId === 0n ? FLAG_ALL_TICKETS : 0;
  writeUint(out, 2, d.chainId, 8);
  out.set(hexToBytes(d.ticket), 10);
  writeUint(out, 30, pass.tokenId, 8);
  out.set(passKey, 38);
  writeUint(out, 70, BigInt(d.validUntil), 5);
  out.set(hexToBytes(pass.holder), 75);
  out[95] = L;
  out.set(walletSignature, 96);
  writeUint(out, 96 + L, BigInt(pass.timestamp), 5);
  out.set(frameSignature, 101 + L);
  return out;
}

export function passFromBytes(bytes: Uint8Array): Pass {
  if (bytes.length < FIXED_BYTES) throw new PassFormatError(`too short: ${bytes.length} bytes`);
  if (bytes[0] !== PASS_VERSION) throw new PassFormatError(`unknown pass version ${bytes[0]}`);
  if (bytes[1] & ~FLAG_ALL_TICKETS) throw new PassFormatError("unknown flags");
  const L = bytes[95];
  if (bytes.length !== FIXED_BYTES + L) {
    throw new PassFormatError(`length ${bytes.length} does not match a ${L}-byte wallet signature`);
  }
  const tokenId = readUint(bytes, 30, 8);
  return {
    delegation: {
      chainId: readUint(bytes, 2, 8),
      // Lowercase, not checksummed: a gate decodes thousands a second and compares with isAddressEqual.
      ticket: bytesToHex(bytes.subarray(10, 30)) as Address,
      tokenId: bytes[1] & FLAG_ALL_TICKETS ? 0n : tokenId,
      passKey: bytesToHex(bytes.subarray(38, 70)),
      validUntil: Number(readUint(bytes, 70, 5)),
    },
    holder: bytesToHex(bytes.subarray(75, 95)) as Address,
    walletSignature: bytesToHex(bytes.subarray(96, 96 + L)),
    tokenId,
    timestamp: Number(readUint(bytes, 96 + L, 5)),
    frameSignature: bytesToHex(bytes.subarray(101 + L, 165 + L)),
  };
}

const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/**
 * RFC 9285 decoding with the checks the base45 package leaves out (alphabet, length and value
 * ranges). Done here rather than by the package, whose decode returns a Node Buffer: scanners
 * decode passes in the browser too (offline, frontend/src/gate/offline.ts).
 */
function decodeBase45(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new PassFormatError("not base45: bad length");
  const values: number[] = [];
  for (const c of text) {
    const v = BASE45.indexOf(c);
    if (v < 0) throw new PassFormatError(`not base45: character ${JSON.stringify(c)}`);
    values.push(v);
  }
  const bytes: number[] = [];
  for (let i = 0; i < values.length; i += 3) {
    const full = i + 2 < values.length;
    const chunk = values[i] + values[i + 1] * 45 + (full ? values[i + 2] * 2025 : 0);
    if (chunk > (full ? 0xffff : 0xff)) throw new PassFormatError("not base45: value out of range");
    if (full) bytes.push(chunk >> 8, chunk & 0xff);
    else bytes.push(chunk);
  }
  return Uint8Array.from(bytes);
}

export function encodePass(pass: Pass): string {
  return base45.encode(passToBytes(pass) as unknown as Buffer);
}

/** Parses a scanned QR text. Throws PassFormatError for anything that is not a well-formed pass. */
export function decodePass(text: string): Pass {
  if (typeof text !== "string") throw new PassFormatError("not text");
  const trimmed = text.trim();
  if (trimmed.length > MAX_PASS_TEXT_LENGTH) throw new PassFormatError(`too long: ${trimmed.length} characters`);
  return passFromBytes(decodeBase45(trimmed));
}
