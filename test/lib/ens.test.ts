// lib/ens.ts against a Universal Resolver stand-in (contracts/test/MockEnsUniversalResolver.sol)
// on Hardhat's in-process chain, through viem as the app calls it: primary names shown only when
// they resolve back, names resolved for inputs with their refusals in words, results cached, and
// no call at all on a network without ENS.
import { expect } from "chai";
import { network } from "hardhat";
import { BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, custom, getAddress, zeroAddress, type Address, type EIP1193RequestFn } from "viem";
import { base, baseSepolia, optimism, polygon, sepolia } from "viem/chains";
import { getEnsName } from "viem/ens";

import { createEns, EnsError, parseRecipient, type EnsNetwork } from "../../lib/ens.js";
import { LOCALHOST } from "../../lib/networks.js";
import { KNOWN_CHAINS } from "../../scripts/lib/known-chains.js";
import { artifact } from "../../scripts/lib/local-chain.js";

const { provider } = await network.create();

/** A public client whose every JSON-RPC request is recorded. */
function countingClient() {
  const methods: string[] = [];
  const request: EIP1193RequestFn = (args) => {
    methods.push(args.method);
    return provider.request(args as Parameters<typeof provider.request>[0]) as never;
  };
  return { client: createPublicClient({ transport: custom({ request }) }), methods };
}

async function rejection(promise: Promise<unknown>): Promise<EnsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(EnsError);
    return error as EnsError;
  }
  throw new Error("expected a rejection");
}

describe("lib/ens: names for addresses and addresses for names", function () {
  const wallet = createWalletClient({ transport: custom(provider) });
  const { abi, bytecode } = artifact("test/MockEnsUniversalResolver.sol/MockEnsUniversalResolver.json");
  let deployer: Address, alice: Address, bob: Address, mallory: Address, carol: Address;
  let ensNetwork: EnsNetwork;

  async function write(functionName: "setAddr" | "setPrimary", args: readonly [string, string]) {
    const hash = await wallet.writeContract({ address: ensNetwork.ensUniversalResolver!, abi, functionName, args, account: deployer, chain: null });
    await createPublicClient({ transport: custom(provider) }).waitForTransactionReceipt({ hash, pollingInterval: 10 });
  }

  before(async function () {
    [deployer, alice, bob, mallory, carol] = await wallet.getAddresses();
    const reader = createPublicClient({ transport: custom(provider) });
    const hash = await wallet.deployContract({ abi, bytecode, account: deployer, chain: null });
    const resolver = (await reader.waitForTransactionReceipt({ hash, pollingInterval: 10 })).contractAddress!;
    ensNetwork = { name: "Test chain", ensUniversalResolver: getAddress(resolver) };
    await write("setAddr", ["alice.eth", alice]);
    await write("setPrimary", [alice, "alice.eth"]);
    // Mallory claims alice.eth as its primary name: the forward record says otherwise.
    await write("setPrimary", [mallory, "alice.eth"]);
    // A primary name that is not in normal form, though it resolves back.
    await write("setAddr", ["Carol.eth", carol]);
    await write("setPrimary", [carol, "Carol.eth"]);
    await write("setAddr", ["empty.eth", zeroAddress]);
  });

  it("shows a verified primary name, once per address however often it is asked", async function () {
    const { client, methods } = countingClient();
    const ens = createEns(client, ensNetwork);
    expect(ens.available).to.equal(true);
    expect(await ens.nameOf(alice)).to.equal("alice.eth");
    expect(await ens.nameOf(alice.toLowerCase())).to.equal("alice.eth");
    await Promise.all([ens.nameOf(alice), ens.nameOf(alice)]);
    expect(methods).to.deep.equal(["eth_call"]);
  });

  it("falls back to no name: none set, a name that resolves elsewhere, a name not in normal form", async function () {
    const ens = createEns(countingClient().client, ensNetwork);
    expect(await ens.nameOf(bob)).to.equal(null);
    expect(await ens.nameOf(mallory)).to.equal(null);
    // ...because the resolver refused it, as ENS's does: the forward record names alice.
    const strict = getEnsName(createPublicClient({ transport: custom(provider) }), { address: mallory, universalResolverAddress: ensNetwork.ensUniversalResolver, strict: true });
    await strict.then(
      () => expect.fail("the stand-in returned mallory's claimed name"),
      (error: BaseError) => expect(error.walk((e) => e instanceof ContractFunctionRevertedError)).to.have.nested.property("data.errorName", "ReverseAddressMismatch"),
    );
    // The resolver gives carol's name (it resolves back), but not in normal form: a look-alike risk.
    expect(await getEnsName(createPublicClient({ transport: custom(provider) }), { address: carol, universalResolverAddress: ensNetwork.ensUniversalResolver })).to.equal("Carol.eth");
    expect(await ens.nameOf(carol)).to.equal(null);
    expect(await ens.nameOf("not an address")).to.equal(null);
  });

  it("resolves a typed name (normalized) to its address, and an address as typed, without a lookup", async function () {
    const { client, methods } = countingClient();
    const ens = createEns(client, ensNetwork);
    expect(await ens.resolve("alice.eth")).to.deep.equal({ address: alice, name: "alice.eth" });
    expect(await ens.resolve("  Alice.ETH ")).to.deep.equal({ address: alice, name: "alice.eth" });
    expect(methods).to.deep.equal(["eth_call"]);
    expect(await ens.resolve(bob.toLowerCase())).to.deep.equal({ address: bob });
    expect(methods).to.have.length(1);
  });

  it("refuses what does not resolve, in words", async function () {
    const ens = createEns(countingClient().client, ensNetwork);
    const unknown = await rejection(ens.resolve("nobody.eth"));
    expect(unknown.problem).to.equal("not-found");
    expect(unknown.message).to.equal("no address for nobody.eth");
    expect((await rejection(ens.resolve("empty.eth"))).problem).to.equal("not-found");
    const invalid = await rejection(ens.resolve("al ice.eth"));
    expect(invalid.problem).to.equal("invalid-name");
    expect(invalid.message).to.match(/^"al ice\.eth" is not a valid ENS name/);
    expect((await rejection(ens.resolve("alice..eth"))).problem).to.equal("invalid-name");
    expect((await rejection(ens.resolve("0x1234"))).problem).to.equal("invalid-address");
    // A mixed-case address whose checksum is wrong is a typo, not an address.
    expect((await rejection(ens.resolve(alice.slice(0, -1) + (alice.endsWith("a") ? "b" : "a")))).problem).to.equal("invalid-address");
  });

  it("a failed lookup shows no name and refuses the input, and is tried again next time", async function () {
    const { client, methods } = countingClient();
    // An account, not a resolver: every call comes back empty.
    const ens = createEns(client, { name: "Broken", ensUniversalResolver: bob });
    expect(await ens.nameOf(alice)).to.equal(null);
    expect(await ens.nameOf(alice)).to.equal(null);
    expect(methods).to.deep.equal(["eth_call", "eth_call"]);
    const failed = await rejection(ens.resolve("alice.eth"));
    expect(failed.problem).to.equal("lookup-failed");
    expect(failed.message).to.match(/^could not look up alice\.eth/);
  });

  it("makes no call at all on a network without ENS, and says so for a name", async function () {
    const { client, methods } = countingClient();
    expect(LOCALHOST.ensUniversalResolver).to.equal(undefined);
    const ens = createEns(client, LOCALHOST);
    expect(ens.available).to.equal(false);
    expect(await ens.nameOf(alice)).to.equal(null);
    expect(await ens.resolve(alice)).to.deep.equal({ address: alice });
    const refused = await rejection(ens.resolve("alice.eth"));
    expect(refused.problem).to.equal("unavailable");
    expect(refused.message).to.equal("ENS names are not available on Localhost");
    expect(() => parseRecipient("alice.eth", LOCALHOST)).to.throw(EnsError, "ENS names are not available on Localhost");
    expect(methods).to.deep.equal([]);
  });

  it("the known public chains carry viem's Universal Resolver where the chain has ENS (Sepolia), none on the L2s", function () {
    expect(KNOWN_CHAINS[sepolia.id].ensUniversalResolver).to.equal(getAddress(sepolia.contracts.ensUniversalResolver.address));
    for (const chain of [baseSepolia, base, optimism, polygon]) expect(KNOWN_CHAINS[chain.id].ensUniversalResolver, chain.name).to.equal(undefined);
  });
});
