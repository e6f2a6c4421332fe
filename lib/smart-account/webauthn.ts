// Passkey signatures as the passkey accounts verify them (contracts/account/ChainpassAccount.sol
// through OpenZeppelin's ERC7913WebAuthnVerifier): the ERC-7913 signer a passkey is, and a WebAuthn
// assertion encoded as WebAuthn.sol's `WebAuthnAuth`. The same code runs in the browser (an
// assertion from navigator.credentials.get) and in Node (the tests' software authenticator).
import { bytesToHex, concat, encodeAbiParameters, hexToBytes, numberToHex, type Address, type Hex } from "viem";

/** The order of the P-256 group: a signature's s is sent in its lower half (WebAuthn.sol refuses the upper). */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** A passkey's public key: the P-256 point. */
export interface PasskeyPublicKey {
  x: bigint;
  y: bigint;
}

/** What an authenticator returns for a challenge (navigator.credentials.get's response), with the signature as r and s. */
export interface WebAuthnAssertion {
  authenticatorData: Hex;
  clientDataJSON: string;
  r: bigint;
  s: bigint;
}

/** The passkey as an ERC-7913 signer: the WebAuthn verifier's address, then x and y (32 bytes each). */
export function passkeySigner(verifier: Address, key: PasskeyPublicKey): Hex {
  return concat([verifier, numberToHex(key.x, { size: 32 }), numberToHex(key.y, { size: 32 })]);
}

/** The public key of a passkey signer (see passkeySigner); undefined for another kind of signer. */
export function passkeyOf(signer: Hex): PasskeyPublicKey | undefined {
  const bytes = hexToBytes(signer);
  if (bytes.length !== 20 + 64) return undefined;
  return { x: BigInt(bytesToHex(bytes.slice(20, 52))), y: BigInt(bytesToHex(bytes.slice(52))) };
}

/** An assertion as `WebAuthn.WebAuthnAuth` (ABI-encoded fields r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON). */
export function encodeWebAuthnSignature(assertion: WebAuthnAssertion): Hex {
  const { authenticatorData, clientDataJSON, r } = assertion;
  const s = assertion.s > P256_N / 2n ? P256_N - assertion.s : assertion.s;
  const challengeIndex = clientDataJSON.indexOf('"challenge":"');
  const typeIndex = clientDataJSON.indexOf('"type":"');
  if (challengeIndex < 0 || typeIndex < 0) throw new Error("clientDataJSON lacks its type or challenge");
  return encodeAbiParameters(
    [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes" }, { type: "string" }],
    [numberToHex(r, { size: 32 }), numberToHex(s, { size: 32 }), BigInt(challengeIndex), BigInt(typeIndex), authenticatorData, clientDataJSON],
  );
}

/** A signature of the account's multisigner (MultiSignerERC7913): which signers signed, and their signatures, in the same order. */
export function multiSignerSignature(signers: readonly Hex[], signatures: readonly Hex[]): Hex {
  return encodeAbiParameters([{ type: "bytes[]" }, { type: "bytes[]" }], [signers, signatures]);
}

/** base64url of `bytes`, without padding (WebAuthn's encoding of the challenge in clientDataJSON). */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
