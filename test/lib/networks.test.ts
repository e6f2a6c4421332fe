// lib/networks.ts: explorer pages for transactions and addresses, and none on the local chain;
// the price feeds of the app's estimates in US dollars.
import { expect } from "chai";
import { getAddress } from "viem";

import { explorerUrl, LOCALHOST, networkFor } from "../../lib/networks.js";
import { KNOWN_CHAINS } from "../../scripts/lib/known-chains.js";

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

  it("names a USD price feed for ETH and for the stablecoin on the local chain, checksummed; public chains only where Chainlink's documentation does", function () {
    // The LocalDemo module's MockPriceFeeds on a fresh node (the browser tests' stack and `npm run dev` check it).
    const { native, stablecoin } = LOCALHOST.priceFeeds!;
    expect([native, stablecoin].map((a) => getAddress(a!))).to.deep.equal([native, stablecoin]);
    expect(native).to.not.equal(stablecoin);
    for (const [chainId, chain] of Object.entries(KNOWN_CHAINS)) {
      for (const feed of Object.values(chain.priceFeeds ?? {})) expect(getAddress(feed), `chain ${chainId}`).to.equal(feed);
    }
    // Sepolia's ETH / USD, as Chainlink's Data Feeds API reference gives it.
    expect(KNOWN_CHAINS[11_155_111].priceFeeds?.native).to.equal("0x694AA1769357215DE4FAC081bf1f309aDC325306");
  });
});
