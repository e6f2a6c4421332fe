// The gate's secp256k1 recovery (server/gate/recover-signer.ts, libsecp256k1 in WebAssembly)
// against viem's (lib/pass's default) and the offline scanner's (@noble/curves in its own chunk):
// all three must name the same signer, or no signer, for every signature a pass may carry,
// well-formed or not.
import { expect } from "chai";
import { bytesToHex, hexToBytes, keccak256, numberToHex, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, sign } from "viem/accounts";

import { DelegationCache, makePass, passKeyFromSecret, recoverSignerWithViem, signDelegation, verifyPass, type PassDelegation, type VerifyContext } from "../../lib/pass/index.js";
import { recoverSigner as recoverOnDevice } from "../../frontend/src/gate/recover-signer.js";
import { recoverSigner } from "../../server/gate/recover-signer.js";

/** secp256k1's group order n. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const word = (n: bigint) => hexToBytes(numberToHex(n, { size: 32 }));
const scalar = (bytes: Uint8Array, at: number) => BigInt(bytesToHex(bytes.subarray(at, at + 32)));

/** A 65-byte signature r ‖ s ‖ v. */
function signature(r: bigint, s: bigint, v: number): Hex {
  return bytesToHex(new Uint8Array([...word(r), ...word(s), v]));
}

/** Random signatures, their malleable and mangled variants. */
async function cases(): Promise<{ name: string; digest: Hex; signature: Hex }[]> {
  const out: { name: string; digest: Hex; signature: Hex }[] = [];
  for (let i = 0; i < 40; i++) {
    const key = generatePrivateKey();
    const digest = keccak256(toHex(`delegation ${i}`));
    const signed = hexToBytes(await sign({ hash: digest, privateKey: key, to: "hex" }));
    const r = scalar(signed, 0);
    const s = scalar(signed, 32);
    const parity = signed[64] - 27;
    out.push(
      { name: "as signed (v 27/28)", digest, signature: signature(r, s, 27 + parity) },
      { name: "v as y parity (0/1)", digest, signature: signature(r, s, parity) },
      { name: "high s with the other parity", digest, signature: signature(r, N - s, 28 - parity) },
      { name: "the other parity", digest, signature: signature(r, s, 28 - parity) },
      { name: "another digest", digest: keccak256(digest), signature: signature(r, s, 27 + parity) },
      { name: "v 2", digest, signature: signature(r, s, 2) },
      { name: "v 29", digest, signature: signature(r, s, 29) },
      { name: "r + 1", digest, signature: signature(r + 1n < N ? r + 1n : 1n, s, 27 + parity) },
      { name: "a flipped bit in s", digest, signature: signature(s ^ 1n, s, 27 + parity) },
    );
  }
  const digest = keccak256("0x01");
  out.push(
    { name: "r zero", digest, signature: signature(0n, 1n, 27) },
    { name: "s zero", digest, signature: signature(1n, 0n, 27) },
    { name: "r = n", digest, signature: signature(N, 1n, 27) },
    { name: "s = n", digest, signature: signature(1n, N, 27) },
    { name: "r above n", digest, signature: signature(N + 5n, 1n, 28) },
    { name: "every byte 0xff", digest, signature: bytesToHex(new Uint8Array(65).fill(0xff)) },
  );
  return out;
}

describe("Server: the gate's secp256k1 recovery of a delegation's signer", function () {
  it("names the same signer as viem and the offline scanner, or none, for valid, malleable and malformed signatures", async function () {
    let recovered = 0;
    for (const { name, digest, signature } of await cases()) {
      const expected = await recoverSignerWithViem(digest, signature);
      const got = recoverSigner(digest, signature);
      expect(got?.toLowerCase(), `${name}: ${signature}`).to.equal(expected?.toLowerCase());
      expect(recoverOnDevice(digest, signature)?.toLowerCase(), `on the device, ${name}: ${signature}`).to.equal(expected?.toLowerCase());
      if (got) recovered++;
    }
    // Not a comparison of two refusals only: most of the cases recover to someone.
    expect(recovered).to.be.greaterThan(150);
  });

  it("recovers the key that signed, and refuses signatures of the wrong length", async function () {
    const key = generatePrivateKey();
    const digest = keccak256("0xc0ffee");
    const signed = await sign({ hash: digest, privateKey: key, to: "hex" });
    expect(recoverSigner(digest, signed)).to.equal(privateKeyToAccount(key).address);
    expect(recoverSigner(digest, signed.slice(0, -2) as Hex), "64 bytes").to.equal(undefined);
    expect(recoverSigner(digest, `${signed}00`), "66 bytes").to.equal(undefined);
    expect(recoverSigner(digest, "0xzz" as Hex), "not hex").to.equal(undefined);
  });

  it("decides a pass's delegation when a DelegationCache is given it: the holder's admitted, a stranger's refused, each recovered once", async function () {
    const holder = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    const passKey = passKeyFromSecret(`0x${"22".repeat(32)}`);
    const event = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
    const now = 1_800_000_000;
    const d: PassDelegation = { chainId: 31337n, ticket: event, tokenId: 7n, passKey: passKey.publicKey, validUntil: now + 86_400 };
    const passSignedBy = async (signer: typeof holder) =>
      makePass({ passKey, delegation: d, holder: holder.address, walletSignature: await signDelegation(signer, d), tokenId: 7n, now });
    const recovered: Hex[] = [];
    const cache = new DelegationCache({
      maxEntries: 10,
      recoverSigner: (digest, signature) => {
        recovered.push(signature);
        return recoverSigner(digest, signature);
      },
    });
    const ctx: VerifyContext = { chainId: 31337n, ticket: event, now: now + 3, ownerOf: () => holder.address, isCheckedIn: () => false, cache };
    const own = await passSignedBy(holder);
    expect(await verifyPass(own, ctx)).to.deep.include({ ok: true, tokenId: 7n });
    expect(await verifyPass(own, ctx), "again, from the cache").to.deep.include({ ok: true });
    const forged = await verifyPass(await passSignedBy(stranger), ctx);
    expect(forged).to.deep.include({ ok: false, reason: "delegation-not-by-owner" });
    expect(recovered, "one recovery per delegation").to.have.length(2);
    // A recovery that throws refuses the pass; the scan is answered, not failed.
    const throwing = new DelegationCache({
      maxEntries: 10,
      recoverSigner: () => {
        throw new Error("broken engine");
      },
    });
    expect(await verifyPass(own, { ...ctx, cache: throwing })).to.deep.include({ ok: false, reason: "delegation-not-by-owner" });
  });
});
