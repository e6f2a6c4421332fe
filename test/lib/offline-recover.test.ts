// The offline scanner recovers an EOA's delegation signer without viem's on-demand secp256k1 chunk
// (frontend/src/gate/recover-signer.ts): the same signer as lib/pass finds, for viem's signatures.
import { expect } from "chai";
import { recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { recoverSigner } from "../../frontend/src/gate/recover-signer.js";
import { delegationDigest, delegationTypedData, type PassDelegation } from "../../lib/pass/index.js";

describe("Offline scanner: recovering a delegation's signer", function () {
  it("finds the signer viem finds, and another address for another delegation or a damaged signature", async function () {
    for (let i = 1; i <= 8; i++) {
      const account = privateKeyToAccount(`0x${i.toString(16).padStart(64, "0")}`);
      const d: PassDelegation = { chainId: 31337n, ticket: "0x1111111111111111111111111111111111111111", tokenId: BigInt(i % 2), passKey: `0x${"22".repeat(32)}`, validUntil: 2_000_000_000 + i };
      const signature = await account.signTypedData(delegationTypedData(d));
      expect(recoverSigner(delegationDigest(d), signature)).to.equal(account.address);
      expect(await recoverTypedDataAddress({ ...delegationTypedData(d), signature })).to.equal(account.address);
      expect(recoverSigner(delegationDigest({ ...d, validUntil: 5 }), signature)).to.not.equal(account.address);
      expect(recoverSigner(delegationDigest(d), `0x${signature.slice(2, -2)}1d`)).to.equal(undefined);
      expect(recoverSigner(delegationDigest(d), "0x")).to.equal(undefined);
    }
  });
});
