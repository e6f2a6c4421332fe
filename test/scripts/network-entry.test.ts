// An operator's deployment, rehearsed: a node with Base Sepolia's chain id, a fresh deployer key
// (not the test mnemonic), a stand-in USDC deployed on its own and passed to the platform module as
// a parameter, `hardhat ignition deploy` as the README says, then the network entry generated from
// what Ignition recorded, checked against the chain, and its staleness check made to fail.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";
import { getAddress, parseEther, toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { ticketFactoryAbi } from "../../lib/abi/index.js";
import { DEPLOYED_NETWORK_SOURCES } from "../../lib/networks.deployed.js";
import { artifact, localClients, startNodeProcess } from "../../scripts/lib/local-chain.js";
import { generateEntry, NetworkEntryError, recordedSources, staleNetworkFiles, writeNetworkFiles, type EntrySource } from "../../scripts/lib/network-entry.js";

const CHAIN_ID = 84_532;
const repo = process.cwd();

function ignitionDeploy(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ["node_modules/hardhat/dist/src/cli.js", "ignition", "deploy", ...args], { env: { ...process.env, ...env }, timeout: 180_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`ignition deploy failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end("y\n"); // "Confirm deploy to network baseSepolia (84532)?"
  });
}

describe("Network entries from an Ignition deployment (a rehearsal on chain 84532)", function () {
  this.timeout(300_000);
  const deploymentId = `rehearsal-${Date.now()}`;
  const root = mkdtempSync(path.join(tmpdir(), "chainpass-network-entry-"));
  let node: Awaited<ReturnType<typeof startNodeProcess>>;
  let usdc: Address;
  let source: EntrySource;
  let deployedFactory: Address;
  let clients: ReturnType<typeof localClients>;

  before(async function () {
    node = await startNodeProcess({ chainId: CHAIN_ID, logRequests: false });
    clients = localClients(node.rpcUrl, CHAIN_ID);
    // The operator's own key, funded as a faucet would.
    const key = generatePrivateKey();
    const operator = privateKeyToAccount(key);
    await clients.publicClient.request({ method: "hardhat_setBalance" as never, params: [operator.address, toHex(parseEther("10"))] as never });
    const { abi, bytecode } = artifact("test/MockUSDC.sol/MockUSDC.json");
    const hash = await clients.wallet(operator).deployContract({ abi, bytecode, account: operator, chain: clients.chain });
    usdc = getAddress((await clients.publicClient.waitForTransactionReceipt({ hash })).contractAddress!);

    const parameters = path.join(root, "parameters.json");
    writeFileSync(
      parameters,
      JSON.stringify({ ChainpassPlatform: { owner: operator.address, feeRecipient: operator.address, feeBps: 250, settlementDelay: 604_800, currencies: ["0x0000000000000000000000000000000000000000", usdc] } }),
    );
    // `--build-profile default`: the contracts as this test run built them (the production profile
    // has the same settings; a test below checks that).
    await ignitionDeploy(["ignition/modules/Platform.ts", "--network", "baseSepolia", "--parameters", parameters, "--deployment-id", deploymentId, "--build-profile", "default"], {
      BASE_SEPOLIA_RPC_URL: node.rpcUrl,
      DEPLOYER_PRIVATE_KEY: key,
    });
    // The generator works on a copy of the repository's layout, so the real files stay as they are.
    cpSync(path.join(repo, "ignition/deployments", deploymentId), path.join(root, "ignition/deployments", deploymentId), { recursive: true });
    mkdirSync(path.join(root, "lib"), { recursive: true });
    mkdirSync(path.join(root, "subgraph/networks"), { recursive: true });
    deployedFactory = getAddress((JSON.parse(readFileSync(path.join(root, "ignition/deployments", deploymentId, "deployed_addresses.json"), "utf8")) as Record<string, string>)["ChainpassPlatform#TicketFactory"]);
    source = {
      name: "base-sepolia-rehearsal",
      deployment: `ignition/deployments/${deploymentId}`,
      indexUrl: "http://127.0.0.1:8787/subgraphs/name/chainpass",
      rpcUrl: node.rpcUrl,
      stablecoin: { symbol: "USDC", decimals: 6 },
    };
  });

  after(async function () {
    await node?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(path.join(repo, "ignition/deployments", deploymentId), { recursive: true, force: true });
    const deployments = path.join(repo, "ignition/deployments");
    try {
      if (readdirSync(deployments).length === 0) rmSync(deployments, { recursive: true });
    } catch {
      // no deployments folder
    }
  });

  it("generates the app's, the server's and the subgraph's entry: the factory, its first block, the stand-in currency, the explorer", async function () {
    writeNetworkFiles([source], root);
    const { network, subgraph } = generateEntry(source, root);
    expect(network).to.deep.include({ chainId: CHAIN_ID, name: "Base Sepolia", factory: deployedFactory, devWallet: false, explorer: "https://sepolia.basescan.org", rpcUrl: node.rpcUrl });
    expect(network.stablecoin).to.deep.equal({ address: usdc, symbol: "USDC", decimals: 6 });
    // What the chain says: the factory was created in the start block, not before, and allows the stand-in.
    expect(await clients.publicClient.getCode({ address: deployedFactory, blockNumber: BigInt(network.factoryStartBlock) })).to.not.equal(undefined);
    expect(await clients.publicClient.getCode({ address: deployedFactory, blockNumber: BigInt(network.factoryStartBlock - 1) })).to.equal(undefined);
    expect(await clients.publicClient.readContract({ address: deployedFactory, abi: ticketFactoryAbi, functionName: "isCurrencyAllowed", args: [usdc] })).to.equal(true);
    expect(subgraph).to.deep.equal({ network: "base-sepolia", chainId: CHAIN_ID, TicketFactory: { address: deployedFactory, startBlock: network.factoryStartBlock } });
    expect(JSON.parse(readFileSync(path.join(root, "subgraph/networks/base-sepolia-rehearsal.json"), "utf8"))).to.deep.equal(subgraph);
    expect(recordedSources(root)).to.deep.equal([source]);
    expect(readFileSync(path.join(root, "lib/networks.deployed.ts"), "utf8")).to.include(`"factory": "${deployedFactory}"`);
    expect(staleNetworkFiles([source], root)).to.deep.equal([]);
  });

  it("names a generated file edited by hand as stale, and refuses a deployment record that does not add up", function () {
    writeNetworkFiles([source], root);
    const subgraphFile = path.join(root, "subgraph/networks/base-sepolia-rehearsal.json");
    const generated = readFileSync(subgraphFile, "utf8");
    writeFileSync(subgraphFile, generated.replace(/"startBlock": \d+/, '"startBlock": 0'));
    expect(staleNetworkFiles([source], root)).to.deep.equal(["subgraph/networks/base-sepolia-rehearsal.json"]);
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
