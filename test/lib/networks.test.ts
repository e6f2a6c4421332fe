// lib/networks.ts: explorer pages for transactions and addresses, and none on the local chain.
import { expect } from "chai";

import { explorerUrl, LOCALHOST, networkFor } from "../../lib/networks.js";

describe("lib/networks", function () {
  it("links a transaction and an address on a network with an explorer", function () {
    const base = { explorer: "https://sepolia.basescan.org/" };
    const hash = `0x${"ab".repeat(32)}`;
    expect(explorerUrl(base, "tx", hash)).to.equal(`https://sepolia.basescan.org/tx/${hash}`);
    expect(explorerUrl(base, "address", LOCALHOST.factory)).to.equal(`https://sepolia.basescan.org/address/${LOCALHOST.factory}`);
  });

  it("links nothing on the local chain, which has no explorer", function () {
    expect(explorerUrl(LOCALHOST, "tx", `0x${"ab".repeat(32)}`)).to.equal(undefined);
    expect(networkFor(31337)).to.equal(LOCALHOST);
    expect(networkFor(1)).to.equal(undefined);
  });
});
