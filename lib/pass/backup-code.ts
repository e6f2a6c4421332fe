// The pass's backup code: what the door types when the QR cannot be read (a cracked screen, no
// camera, glare). "1000123 482 913": the ticket's number, then six digits that change with every
// frame of the pass, so a photo of the code expires like a photo of the QR.
//
// The six digits are an HOTP (RFC 4226's truncation of an HMAC-SHA256) of the ticket and the
// frame's time step, under a secret the gate gave the phone when the pass was registered online
// (`registrationMessage`: signed by the pass key, which a photo of the QR cannot do). Gates hold
// the secret in their shared database; the codes need no network at the door.
import { concat, hexToBytes, numberToBytes, type Hex } from "viem";

import { FRAME_INTERVAL_SECONDS } from "./types.js";

export const BACKUP_CODE_DIGITS = 6;
/** The code changes with each frame of the QR. */
export const BACKUP_CODE_STEP_SECONDS = FRAME_INTERVAL_SECONDS;
/** Longest text taken as a backup code (a uint64 ticket number, six digits, separators). */
export const MAX_BACKUP_CODE_LENGTH = 40;

const REGISTRATION_TAG = new TextEncoder().encode("chainpass/backup-registration/v1");
const CODE_TAG = new TextEncoder().encode("chainpass/backup-code/v1");

/**
 * The bytes the pass key signs to register for backup codes: unlike a frame (which a photo of
 * the QR carries), only the phone holding the pass key can make it.
 */
export function registrationMessage(delegationDigest: Hex, tokenId: bigint, timestamp: number): Uint8Array {
  return concat([REGISTRATION_TAG, hexToBytes(delegationDigest), numberToBytes(tokenId, { size: 8 }), numberToBytes(timestamp, { size: 5 })]);
}

export const backupStep = (unixSeconds: number) => Math.floor(unixSeconds / BACKUP_CODE_STEP_SECONDS);

/** The six digits for `tokenId` in time step `step` (WebCrypto: the same in Node and browsers). */
export async function backupCodeDigits(secret: Uint8Array, tokenId: bigint, step: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secret as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const message = concat([CODE_TAG, numberToBytes(tokenId, { size: 8 }), numberToBytes(step, { size: 8 })]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message as BufferSource));
  // RFC 4226 section 5.3: 31 bits from an offset the MAC's last nibble picks.
  const offset = mac[mac.length - 1] & 0x0f;
  const bits = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bits % 10 ** BACKUP_CODE_DIGITS).padStart(BACKUP_CODE_DIGITS, "0");
}

/** "1000123 482 913": the ticket number, then the digits in two groups of three, to read aloud. */
export function formatBackupCode(tokenId: bigint, digits: string): string {
  return `${tokenId} ${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/**
 * A typed backup code → ticket and digits, whatever separators were typed ("1000123-482913",
 * "1000123 482 913", "1000123482913"); undefined if the text is not one (a pass, letters, too short).
 */
export function parseBackupCode(text: string): { tokenId: bigint; digits: string } | undefined {
  if (text.length > MAX_BACKUP_CODE_LENGTH || !/^[\d\s.\-·]+$/.test(text)) return undefined;
  const all = text.replace(/\D/g, "");
  if (all.length <= BACKUP_CODE_DIGITS || all.length > BACKUP_CODE_DIGITS + 20) return undefined;
  const tokenId = BigInt(all.slice(0, -BACKUP_CODE_DIGITS));
  if (tokenId === 0n || tokenId >= 1n << 64n) return undefined;
  return { tokenId, digits: all.slice(-BACKUP_CODE_DIGITS) };
}

/** Whether typed text looks like a backup code rather than a pass (the scanner's manual field takes both). */
export const isBackupCodeText = (text: string) => parseBackupCode(text.trim()) !== undefined;
