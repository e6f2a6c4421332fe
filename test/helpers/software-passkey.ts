// A software WebAuthn authenticator for Node tests: a P-256 key that answers a challenge the way a
// platform authenticator does (authenticatorData with user presence and verification, a
// clientDataJSON naming the challenge and the origin), so the accounts' WebAuthn verification runs
// on exactly what a browser would send. The browser tests use Chromium's virtual authenticator.
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex, concat, hexToBytes, sha256, stringToHex, type Address, type Hex } from "viem";

import { base64url, passkeySigner, type PasskeyPublicKey, type WebAuthnAssertion } from "../../lib/smart-account/webauthn.js";
import type { PasskeySigning } from "../../lib/smart-account/account.js";

const FLAGS_UP_UV = 0x05;

export function softwarePasskey(verifier: Address, opts: { secret?: Uint8Array; rpId?: string; origin?: string; userVerified?: boolean } = {}) {
  const secret = opts.secret ?? p256.utils.randomSecretKey();
  const point = p256.getPublicKey(secret, false); // 0x04 ‖ x ‖ y
  const publicKey: PasskeyPublicKey = { x: BigInt(bytesToHex(point.slice(1, 33))), y: BigInt(bytesToHex(point.slice(33))) };
  const rpId = opts.rpId ?? "localhost";
  const origin = opts.origin ?? "http://localhost";
  let counter = 0;
  const signing: PasskeySigning & { publicKey: PasskeyPublicKey } = {
    publicKey,
    signer: passkeySigner(verifier, publicKey),
    async sign(challenge: Hex): Promise<WebAuthnAssertion> {
      const flags = opts.userVerified === false ? 0x01 : FLAGS_UP_UV;
      const authenticatorData = concat([sha256(stringToHex(rpId)), `0x0${flags}`, `0x${(++counter).toString(16).padStart(8, "0")}`]);
      const clientDataJSON = JSON.stringify({ type: "webauthn.get", challenge: base64url(hexToBytes(challenge)), origin, crossOrigin: false });
      const message = concat([authenticatorData, sha256(stringToHex(clientDataJSON))]);
      const signature = p256.Signature.fromBytes(p256.sign(hexToBytes(message), secret, { prehash: true }));
      return { authenticatorData, clientDataJSON, r: signature.r, s: signature.s };
    },
  };
  return signing;
}
