// An operator's deployment, rehearsed end to end (test/e2e/support/rehearsal.ts, also `npm run
// deploy:rehearsal`): a node with Base Sepolia's chain id, a fresh deployer key (not the test
// mnemonic), a stand-in USDC passed to the Platform module as a parameter, `hardhat ignition
// deploy` as the README says, the network entry generated from what Ignition recorded, the server
// and index started from it, the app built for it and hosted statically, a purchase in the app
// through an injected wallet and an admission at the gate. Then the entry itself: checked against
// the chain, and its staleness check made to fail.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";
import { getAddress, parseEther, type Address } from "viem";

import { chainpassMembershipAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import { DEPLOYED_NETWORK_SOURCES } from "../../lib/networks.deployed.js";
import { generateEntry, NetworkEntryError, recordedSources, staleNetworkFiles, writeNetworkFiles, type EntrySource } from "../../scripts/lib/network-entry.js";
import { PLATFORM_STEPS } from "../../scripts/lib/platform-plan.js";
import { rehearse, type Rehearsal } from "./support/rehearsal.js";
import { WALLET_RDNS } from "./support/wallet.js";

const CHAIN_ID = 84_532;
const repo = process.cwd();

describe("A rehearsal of a real deployment (chain 84532): Ignition, the network entry, the server, the static app, a purchase and an admission", function () {
  this.timeout(300_000);
  let rehearsal: Rehearsal;
  let root: string;
  let source: EntrySource;
  let usdc: Address;
  let deployedFactory: Address;

  before(async function () {
    rehearsal = await rehearse({ chainId: CHAIN_ID });
    ({ root, source, stablecoin: usdc } = rehearsal);
    deployedFactory = getAddress((JSON.parse(readFileSync(path.join(root, source.deployment, "deployed_addresses.json"), "utf8")) as Record<string, string>)["ChainpassPlatform#TicketFactory"]);
  });

  after(async function () {
    await rehearsal?.close();
  });

  it("deploys code identical to the build, and leaves no deployment record in the repository", function () {
    // Every contract of the deployment plan, its code on chain as built.
    expect(rehearsal.outcome.contractsVerifiedOffline).to.equal(PLATFORM_STEPS.length).and.equal(9);
    expect(rehearsal.outcome.network.factory).to.equal(deployedFactory);
    let records: string[] = [];
    try {
      records = readdirSync(path.join(repo, "ignition/deployments"));
    } catch {
      // no deployments folder at all
    }
    expect(records.filter((id) => id === rehearsal.deploymentId)).to.deep.equal([]);
  });

  it("a fan buys in the app built for the chain, through an injected wallet; the development wallet is not offered", async function () {
    const { purchase, walletsOffered } = rehearsal.outcome;
    expect(walletsOffered).to.include(WALLET_RDNS);
    expect(walletsOffered.filter((id) => /dev/.test(id))).to.deep.equal([]);
    expect(purchase.owner).to.equal(purchase.buyer);
    expect(BigInt(purchase.paid)).to.equal(parseEther("0.01"));
    const receipt = await rehearsal.clients.publicClient.getTransactionReceipt({ hash: purchase.transaction });
    expect([receipt.status, receipt.from]).to.deep.equal(["success", purchase.buyer.toLowerCase()]);
  });

  it("gate staff admit the pass the app shows, and the server writes the admission on chain", function () {
    expect(rehearsal.outcome.admission.verdict).to.equal("admit");
    expect(rehearsal.outcome.admission.checkedInOnChain).to.equal(true);
  });

  it("generates the app's, the server's and the subgraph's entry: the factory, its first block, the stand-in currency, the explorer", async function () {
    writeNetworkFiles([source], root);
    const { network, subgraph } = generateEntry(source, root);
    expect(network).to.deep.include({ chainId: CHAIN_ID, name: "Base Sepolia", factory: deployedFactory, devWallet: false, explorer: "https://sepolia.basescan.org", rpcUrl: rehearsal.rpcUrl });
    expect(network.stablecoin).to.deep.equal({ address: usdc, symbol: "USDC", decimals: 6 });
    // What the chain says: the factory was created in the start block, not before, and allows the stand-in.
    expect(await rehearsal.clients.publicClient.getCode({ address: deployedFactory, blockNumber: BigInt(network.factoryStartBlock) })).to.not.equal(undefined);
    expect(await rehearsal.clients.publicClient.getCode({ address: deployedFactory, blockNumber: BigInt(network.factoryStartBlock - 1) })).to.equal(undefined);
    expect(await rehearsal.clients.publicClient.readContract({ address: deployedFactory, abi: ticketFactoryAbi, functionName: "isCurrencyAllowed", args: [usdc] })).to.equal(true);
    expect(subgraph).to.deep.equal({
      network: "base-sepolia",
      chainId: CHAIN_ID,
      TicketFactory: { address: deployedFactory, startBlock: network.factoryStartBlock },
      ChainpassMembership: { address: network.membership, startBlock: network.factoryStartBlock },
    });
    expect(await rehearsal.clients.publicClient.readContract({ address: network.membership, abi: chainpassMembershipAbi, functionName: "MAX_LEVELS" })).to.equal(8n);
    expect(JSON.parse(readFileSync(path.join(root, "subgraph/networks/rehearsal.json"), "utf8"))).to.deep.equal(subgraph);
    expect(recordedSources(root)).to.deep.equal([source]);
    expect(readFileSync(path.join(root, "lib/networks.deployed.ts"), "utf8")).to.include(`"factory": "${deployedFactory}"`);
    expect(staleNetworkFiles([source], root)).to.deep.equal([]);
  });

  it("names a generated file edited by hand as stale, and refuses a deployment record that does not add up", function () {
    writeNetworkFiles([source], root);
    const subgraphFile = path.join(root, "subgraph/networks/rehearsal.json");
    const generated = readFileSync(subgraphFile, "utf8");
    writeFileSync(subgraphFile, generated.replace(/"startBlock": \d+/, '"startBlock": 0'));
    expect(staleNetworkFiles([source], root)).to.deep.equal(["subgraph/networks/rehearsal.json"]);
    writeFileSync(subgraphFile, generated);

    // A redeployment: Ignition's record now names another factory.
    const addressesFile = path.join(root, source.deployment, "deployed_addresses.json");
    const addresses = readFileSync(addressesFile, "utf8");
    writeFileSync(addressesFile, addresses.replace(deployedFactory, usdc));
    expect(() => staleNetworkFiles([source], root)).to.throw(NetworkEntryError, /journal\.jsonl does not record/);
    writeFileSync(addressesFile, addresses);
    expect(staleNetworkFiles([source], root)).to.deep.equal([]);
  });

  it("refuses a currency it cannot name, naming it", function () {
    expect(() => generateEntry({ ...source, stablecoin: undefined }, root)).to.throw(NetworkEntryError, new RegExp(`${usdc} is not Base Sepolia's USDC`));
  });

  it("the repository's generated network files match their deployments, and every subgraph network file but localhost's is generated", function () {
    expect(recordedSources(repo)).to.deep.equal(DEPLOYED_NETWORK_SOURCES);
    expect(staleNetworkFiles(DEPLOYED_NETWORK_SOURCES, repo)).to.deep.equal([]);
    const handMade = readdirSync(path.join(repo, "subgraph/networks")).filter((file) => file !== "localhost.json" && !DEPLOYED_NETWORK_SOURCES.some((s) => `${s.name}.json` === file));
    expect(handMade).to.deep.equal([]);
  });

  it("builds for a public network what the tests build: the production profile has the default's settings, compiled together", function () {
    const { production, default: tested } = hre.config.solidity.profiles;
    expect(production.isolated).to.equal(false);
    expect(production.compilers.map((c) => [c.version, c.settings])).to.deep.equal(tested.compilers.map((c) => [c.version, c.settings]));
  });
});
