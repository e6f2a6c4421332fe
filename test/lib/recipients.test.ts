// frontend/src/shared/recipients.ts and recipient-list.ts: address inputs that take ENS names, read
// without the chain (as lib/ens reads them, without loading it), refusals worded from both
// catalogues, and the deny list's many entries sent only when every one is an account.
import { expect } from "chai";
import { getAddress, type Address } from "viem";

import { EnsError, parseRecipient, type EnsProblem } from "../../lib/ens.js";
import { LOCALHOST } from "../../lib/networks.js";
import { commonEn, commonZh } from "../../frontend/src/i18n/common.js";
import { collectRecipients, splitRecipients, type EntryOutcome } from "../../frontend/src/shared/recipient-list.js";
import { readRecipient, refusalKey, refusalOf } from "../../frontend/src/shared/recipients.js";

const alice: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const bob: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const withEns = { name: "Test chain", ensUniversalResolver: "0x00000000000000000000000000000000000000e5" as Address };
const lookup = (key: string, catalogue: Record<string, unknown>) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalogue);

describe("frontend recipients: address inputs that take ENS names", function () {
  it("reads the text as lib/ens parseRecipient does, up to the lookup, with and without ENS", function () {
    const inputs = [alice, alice.toLowerCase(), `  ${bob}  `, alice.slice(0, -1) + (alice.endsWith("8") ? "9" : "8"), "0x1234", "friend", "friend.eth", " Friend.ETH ", "al ice.eth"];
    for (const input of inputs) {
      for (const [network, hasEns] of [[LOCALHOST, false], [withEns, true]] as const) {
        const typed = readRecipient(input, hasEns);
        let expected: ReturnType<typeof readRecipient>;
        try {
          const parsed = parseRecipient(input, network);
          expected = parsed.kind === "address" ? parsed : { kind: "name", input: input.trim() };
        } catch (error) {
          const problem = (error as EnsError).problem;
          // Normalization is lib/ens's (loaded for the lookup): an invalid name is still a name here.
          expected = problem === "invalid-name" ? { kind: "name", input: input.trim() } : { kind: "refused", refusal: { problem, input: input.trim() } };
        }
        expect(typed, `${JSON.stringify(input)} ${hasEns ? "with" : "without"} ENS`).to.deep.equal(expected);
      }
    }
    expect(readRecipient("  ", true)).to.deep.equal({ kind: "empty" });
    expect(readRecipient(alice.toLowerCase(), false)).to.deep.equal({ kind: "address", address: alice });
  });

  it("reads a refusal from what the lookup threw: lib/ens's EnsError, else a failed lookup", function () {
    expect(refusalOf(new EnsError("not-found", "nobody.eth", "Test chain"), "Nobody.eth")).to.deep.equal({ problem: "not-found", input: "nobody.eth" });
    // The same shape, thrown by the app without loading lib/ens.
    const local = Object.assign(new Error("unavailable: friend.eth"), { name: "EnsError", problem: "unavailable", input: "friend.eth" });
    expect(refusalOf(local, "x")).to.deep.equal({ problem: "unavailable", input: "friend.eth" });
    // A chunk that did not download, or anything else: never an address, a lookup to retry.
    expect(refusalOf(new TypeError("Failed to fetch dynamically imported module"), "friend.eth")).to.deep.equal({ problem: "lookup-failed", input: "friend.eth" });
    expect(refusalOf(Object.assign(new Error("x"), { name: "EnsError", problem: "bogus" }), "friend.eth").problem).to.equal("lookup-failed");
    expect(refusalOf(undefined, "friend.eth").problem).to.equal("lookup-failed");
  });

  it("words every refusal in English and Simplified Chinese, with the name and the network", function () {
    const problems: EnsProblem[] = ["invalid-address", "invalid-name", "unavailable", "not-found", "lookup-failed"];
    for (const problem of problems) {
      for (const hasEns of [false, true]) {
        const key = refusalKey(problem, hasEns);
        for (const catalogue of [commonEn, commonZh]) expect(lookup(key, catalogue), `${key} (${problem})`).to.be.a("string").and.not.equal("");
      }
    }
    // On a network without ENS an invalid input is not offered a name.
    expect(refusalKey("invalid-address", false)).to.equal("ens.notAddress");
    expect(refusalKey("invalid-address", true)).to.equal("ens.notAddressOrName");
    for (const key of ["ens.notFound", "ens.invalidName", "ens.failed"]) for (const catalogue of [commonEn, commonZh]) expect(lookup(key, catalogue)).to.contain("{{name}}");
    for (const catalogue of [commonEn, commonZh]) expect(lookup("ens.unavailable", catalogue)).to.contain("{{network}}");
  });

  it("splits the deny list: one entry per line (spaces, commas, semicolons too), blanks dropped, each once", function () {
    expect(splitRecipients(`friend.eth\n\n  ${alice}\r\n${bob}, tout.eth;friend.eth\n`)).to.deep.equal(["friend.eth", alice, bob, "tout.eth"]);
    expect(splitRecipients(" \n ")).to.deep.equal([]);
  });

  it("collects the entries' outcomes: every address once, the names with their addresses, nothing to send while one is refused", function () {
    const resolved: EntryOutcome[] = [
      { input: "Friend.eth", address: alice, name: "friend.eth" },
      { input: alice.toLowerCase(), address: getAddress(alice) },
      { input: bob, address: bob },
      { input: "friend.eth", address: alice, name: "friend.eth" },
    ];
    expect(collectRecipients(resolved)).to.deep.equal({ accounts: [alice, bob], names: [{ name: "friend.eth", address: alice }], refused: [] });
    const withRefusal = [...resolved, { input: "nobody.eth", refusal: { problem: "not-found" as const, input: "nobody.eth" } }];
    const list = collectRecipients(withRefusal);
    expect(list.accounts).to.deep.equal([]);
    expect(list.refused).to.deep.equal([{ problem: "not-found", input: "nobody.eth" }]);
    // The names that did resolve are still shown, so the organizer sees what the rest would be.
    expect(list.names).to.deep.equal([{ name: "friend.eth", address: alice }]);
    expect(collectRecipients([])).to.deep.equal({ accounts: [], names: [], refused: [] });
  });
});
