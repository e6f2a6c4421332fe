// Sign-In with Ethereum (EIP-4361): the `siwe` package parses the message (strictly, by the
// EIP's grammar), every check is explicit so a refusal can name the one that failed, and viem
// checks the signature: recovered locally for an account with a key, or, failing that, asked of
// the account itself when it is a contract wallet (EIP-1271, or EIP-6492 before it is deployed).
// Nothing here prints: a stream of forged sign-ins must not flood the logs.
import { SiweMessage } from "siwe";
import { getAddress, isAddressEqual, isHex, recoverMessageAddress, type Address, type Hex } from "viem";

import type { NonceState } from "./store.js";

export const SIGN_IN_REFUSALS = [
  "malformed-message",
  "wrong-domain",
  "wrong-uri",
  "wrong-chain",
  "unknown-nonce",
  "nonce-used",
  "nonce-expired",
  "expired",
  "not-yet-valid",
  "bad-signature",
] as const;
export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];

export type SignInResult =
  | { ok: true; address: Address; chainId: number; /** The origin the message was signed for. */ origin: string }
  | { ok: false; reason: SignInRefusal; detail: string };

export interface SignInExpectations {
  /** The app on the server's own site (or behind its proxy): domain and origin. */
  domain: string;
  origin: string;
  /**
   * Origins a static build of the app is hosted at (CHAINPASS_APP_ORIGINS, "*" excluded): a
   * message signed for one of them is accepted only when sent from it (`requestOrigin`), so a
   * signature phished on one site cannot open a session from another.
   */
  appOrigins?: readonly string[];
  /** The request's Origin header. */
  requestOrigin?: string;
  chainId: number;
  now: Date;
  /** Marks the message's nonce used; called only once the message passes every other check. */
  consumeNonce(nonce: string): NonceState | Promise<NonceState>;
  /** Asks a contract wallet whether it signed `message` (viem's verifyMessage); absent: keys only. */
  verifyContractSignature?(address: Address, message: string, signature: Hex): Promise<boolean>;
}

export async function verifySignIn(message: string, signature: string, expect: SignInExpectations): Promise<SignInResult> {
  const refuse = (reason: SignInRefusal, detail: string): SignInResult => ({ ok: false, reason, detail });
  let siwe: SiweMessage;
  try {
    siwe = new SiweMessage(message);
  } catch (error) {
    return refuse("malformed-message", (error as Error).message ?? "not an EIP-4361 message");
  }
  const sites = [{ domain: expect.domain, origin: expect.origin }, ...(expect.appOrigins ?? []).filter((o) => o !== "*").map((o) => ({ domain: new URL(o).host, origin: o }))];
  const site = sites.find((s) => s.domain === siwe.domain);
  if (!site) return refuse("wrong-domain", `signed for ${siwe.domain}, expected ${sites.map((s) => s.domain).join(" or ")}`);
  let origin: string;
  try {
    origin = new URL(siwe.uri).origin;
  } catch {
    return refuse("malformed-message", `bad uri ${siwe.uri}`);
  }
  if (origin !== site.origin) return refuse("wrong-uri", `signed for ${siwe.uri}, expected ${site.origin}`);
  if (site.origin !== expect.origin && expect.requestOrigin !== site.origin) {
    return refuse("wrong-uri", `signed for ${site.origin}, sent from ${expect.requestOrigin ?? "no origin"}`);
  }
  if (siwe.chainId !== expect.chainId) return refuse("wrong-chain", `signed for chain ${siwe.chainId}, expected ${expect.chainId}`);
  if (siwe.expirationTime && new Date(siwe.expirationTime) <= expect.now) return refuse("expired", `expired at ${siwe.expirationTime}`);
  if (siwe.notBefore && new Date(siwe.notBefore) > expect.now) return refuse("not-yet-valid", `valid from ${siwe.notBefore}`);

  // The signature is checked before the nonce is spent, so a forged attempt cannot burn
  // someone else's nonce.
  if (!(await signedBy(siwe.address as Address, message, signature, expect))) {
    return refuse("bad-signature", "the signature does not match the message's address");
  }

  const nonce = await expect.consumeNonce(siwe.nonce);
  if (nonce !== "ok") return refuse(nonce, `nonce ${siwe.nonce}`);
  return { ok: true, address: getAddress(siwe.address), chainId: siwe.chainId, origin: site.origin };
}

async function signedBy(address: Address, message: string, signature: string, expect: SignInExpectations): Promise<boolean> {
  if (!isHex(signature)) return false;
  try {
    if (isAddressEqual(await recoverMessageAddress({ message, signature }), address)) return true;
  } catch {
    // not an ECDSA signature: perhaps a contract wallet's
  }
  if (!expect.verifyContractSignature) return false;
  return expect.verifyContractSignature(address, message, signature).catch(() => false);
}
