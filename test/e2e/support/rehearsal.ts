// A rehearsal of a real deployment, start to finish, on a local node that carries a public chain's
// id (Base Sepolia's by default), done the way the README's "Deploy to a network" tells an operator:
//
//   1. a fresh deployer key, funded as a faucet would (not the development mnemonic);
//   2. a stand-in USDC deployed on its own, given to the Platform module as a parameter (no
//      LocalDemo module, no MockUSDC wiring);
//   3. `hardhat ignition deploy ignition/modules/Platform.ts --network baseSepolia --parameters …`;
//   4. the deployed code compared with the compiled artifacts (what an explorer's verification
//      checks; the explorers themselves are out of reach here);
//   5. the network entry generated from Ignition's record (`npm run network:entry`'s generator);
//   6. the server and its index started from that entry;
//   7. an organizer (a fresh key) publishes metadata through the server and creates an event;
//   8. the app built for that network (`npm run build:web -- --network-file …`) and served by a
//      plain static host under a sub-path, on an origin of its own;
//   9. a fan buys a ticket in the app through an injected wallet (the development wallet is not
//      offered on this chain), opens the pass, and gate staff scan it at the server's gate: the
//      admission is written on chain by the server's check-in writer.
//
// test/e2e/rehearsal.test.ts asserts on it; `npm run deploy:rehearsal` prints its outcome.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import hre from "hardhat";
import type { Browser } from "playwright-core";
import { getAddress, keccak256, parseEther, toHex, zeroAddress, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import type { ChainpassNetwork } from "../../../lib/networks.js";
import { artifact, createEvent, localClients, startNodeProcess, type LocalClients } from "../../../scripts/lib/local-chain.js";
import { generateEntry, staleNetworkFiles, writeNetworkFiles, type EntrySource } from "../../../scripts/lib/network-entry.js";
import { PLATFORM_STEPS } from "../../../scripts/lib/platform-plan.js";
import { serveStatic } from "../../../scripts/lib/static-host.js";
import { freePort, reservePort, runToEnd } from "../../../scripts/lib/supervisor.js";
import { ServerSession } from "../../../scripts/seed-demo.js";
import { scanOverHttp, signInOverHttp, spawnServer, type ServerProcess } from "../../helpers/server.js";
import { launchBrowser, newPage, type PageLog } from "./browser.js";
import { lastTx, waitForText } from "./flows.js";
import { installWallet, WALLET_RDNS } from "./wallet.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const GATE_ROLE = keccak256(toHex("GATE_ROLE"));
const SUB_PATH = "/chainpass/";
/** The Platform contracts an explorer would verify, by their Ignition future ids. */
const PLATFORM_CONTRACTS = PLATFORM_STEPS.map((step) => step.contract);

export interface RehearsalOptions {
  /** The public chain whose id the node carries. Default 84532 (Base Sepolia). */
  chainId?: number;
  /** hardhat.config.ts's network for that chain. Default "baseSepolia". */
  networkName?: string;
  /** The RPC URL variable of that network. Default "BASE_SEPOLIA_RPC_URL". */
  rpcVariable?: string;
  /** Progress lines (stderr for the npm script). */
  log?: (line: string) => void;
}

export interface RehearsalOutcome {
  ok: true;
  chainId: number;
  /** The generated entry the server and the app were started from. */
  network: ChainpassNetwork;
  /** Platform contracts whose code on chain is exactly the compiled artifact's (immutables aside). */
  contractsVerifiedOffline: number;
  /** The wallet options the app's connect dialog offered on this chain (connector ids). */
  walletsOffered: string[];
  purchase: { event: Address; tokenId: string; buyer: Address; transaction: Hex; paid: string; owner: Address };
  admission: { verdict: string; checkInTransaction: Hex; checkedInOnChain: boolean };
}

export interface Rehearsal {
  outcome: RehearsalOutcome;
  /** A copy of the repository's layout holding the deployment record and the generated files. */
  root: string;
  source: EntrySource;
  /** Ignition's deployment id (its folder under <root>/ignition/deployments). */
  deploymentId: string;
  stablecoin: Address;
  clients: LocalClients;
  rpcUrl: string;
  /** Stops the browser, the static host, the server and the node; removes the temporary files. */
  close(): Promise<void>;
}

/** `hardhat ignition deploy …` as an operator types it (the confirmation answered). */
function ignitionDeploy(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(ROOT, "node_modules/hardhat/dist/src/cli.js"), "ignition", "deploy", ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 180_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`ignition deploy failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end("y\n"); // "Confirm deploy to network …?"
  });
}

/** Removes Ignition's deployment folder from the repository (and the deployments folder if it is left empty). */
function removeDeploymentRecord(deploymentId: string) {
  const deployments = path.join(ROOT, "ignition/deployments");
  rmSync(path.join(deployments, deploymentId), { recursive: true, force: true });
  try {
    if (readdirSync(deployments).length === 0) rmSync(deployments, { recursive: true });
  } catch {
    // no deployments folder
  }
}

/** Runtime code with the immutable variables' bytes zeroed (they hold constructor arguments). */
function maskImmutables(code: Hex, references: Record<string, { start: number; length: number }[]>): string {
  const bytes = Buffer.from(code.slice(2), "hex");
  for (const ranges of Object.values(references)) for (const { start, length } of ranges) bytes.fill(0, start, start + length);
  return bytes.toString("hex");
}

/** How many of the deployed Platform contracts run exactly the code this checkout compiles. */
async function verifyOffline(clients: LocalClients, addresses: Record<string, string>): Promise<number> {
  let verified = 0;
  for (const name of PLATFORM_CONTRACTS) {
    const compiled = (await hre.artifacts.readArtifact(name)) as unknown as { deployedBytecode: Hex; immutableReferences?: Record<string, { start: number; length: number }[]> };
    const address = addresses[`ChainpassPlatform#${name}`] as Address;
    const onChain = await clients.publicClient.getCode({ address });
    if (onChain && maskImmutables(onChain, compiled.immutableReferences ?? {}) === maskImmutables(compiled.deployedBytecode, compiled.immutableReferences ?? {})) verified++;
  }
  return verified;
}

export async function rehearse(opts: RehearsalOptions = {}): Promise<Rehearsal> {
  const chainId = opts.chainId ?? 84_532;
  const log = opts.log ?? (() => undefined);
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  const close = async () => {
    for (const step of cleanup.splice(0).reverse()) await Promise.resolve().then(step).catch(() => undefined);
  };
  try {
    const root = mkdtempSync(path.join(tmpdir(), "chainpass-rehearsal-"));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));

    log(`chain ${chainId}: starting a node`);
    const node = await startNodeProcess({ chainId, logRequests: false });
    cleanup.push(() => node.close());
    const clients = localClients(node.rpcUrl, chainId);
    const fresh = async (ether: string): Promise<{ key: Hex; account: PrivateKeyAccount }> => {
      const key = generatePrivateKey();
      const account = privateKeyToAccount(key);
      await clients.publicClient.request({ method: "hardhat_setBalance" as never, params: [account.address, toHex(parseEther(ether))] as never });
      return { key, account };
    };
    const operator = await fresh("10");

    log("deploying the stand-in USDC");
    const mockUsdc = artifact("test/MockUSDC.sol/MockUSDC.json");
    const usdcHash = await clients.wallet(operator.account).deployContract({ abi: mockUsdc.abi, bytecode: mockUsdc.bytecode, account: operator.account, chain: clients.chain });
    const stablecoin = getAddress((await clients.publicClient.waitForTransactionReceipt({ hash: usdcHash })).contractAddress!);

    log("hardhat ignition deploy ignition/modules/Platform.ts");
    const deploymentId = `rehearsal-${chainId}-${Date.now()}`;
    const parameters = path.join(root, "parameters.json");
    writeFileSync(
      parameters,
      JSON.stringify({ ChainpassPlatform: { owner: operator.account.address, feeRecipient: operator.account.address, feeBps: 250, settlementDelay: 604_800, currencies: [zeroAddress, stablecoin] } }),
    );
    cleanup.push(() => removeDeploymentRecord(deploymentId));
    // `--build-profile default`: the contracts as this checkout built them (the production profile
    // has the same settings; test/e2e/rehearsal.test.ts checks that).
    await ignitionDeploy(["ignition/modules/Platform.ts", "--network", opts.networkName ?? "baseSepolia", "--parameters", parameters, "--deployment-id", deploymentId, "--build-profile", "default"], {
      [opts.rpcVariable ?? "BASE_SEPOLIA_RPC_URL"]: node.rpcUrl,
      DEPLOYER_PRIVATE_KEY: operator.key,
    });
    // The generator works on a copy of the repository's layout, so the real files stay as they are.
    const record = path.join(root, "ignition/deployments", deploymentId);
    cpSync(path.join(ROOT, "ignition/deployments", deploymentId), record, { recursive: true });
    removeDeploymentRecord(deploymentId);
    const addresses = JSON.parse(readFileSync(path.join(record, "deployed_addresses.json"), "utf8")) as Record<string, string>;
    const contractsVerifiedOffline = await verifyOffline(clients, addresses);

    log("generating the network entry");
    const serverPort = await freePort();
    const gatePort = await freePort();
    const serverUrl = `http://127.0.0.1:${serverPort}`;
    const source: EntrySource = {
      name: "rehearsal",
      deployment: `ignition/deployments/${deploymentId}`,
      indexUrl: `${serverUrl}/subgraphs/name/chainpass`,
      rpcUrl: node.rpcUrl,
      stablecoin: { symbol: "USDC", decimals: 6 },
    };
    mkdirSync(path.join(root, "lib"), { recursive: true });
    mkdirSync(path.join(root, "subgraph/networks"), { recursive: true });
    writeNetworkFiles([source], root);
    const stale = staleNetworkFiles([source], root);
    if (stale.length) throw new Error(`the generated files are stale right after generation: ${stale.join(", ")}`);
    const { network } = generateEntry(source, root);
    const entryFile = path.join(root, "network.json");
    writeFileSync(entryFile, JSON.stringify(network, null, 2));

    log("starting the server and its index from the entry");
    const { port: sitePort, release: releaseSitePort } = await reservePort(); // held until the site listens
    cleanup.push(releaseSitePort);
    const siteOrigin = `http://127.0.0.1:${sitePort}`;
    const writer = await fresh("1");
    const server: ServerProcess = await spawnServer({
      CHAINPASS_PORT: String(serverPort),
      CHAINPASS_GATE_PORT: String(gatePort),
      CHAINPASS_RPC_URL: network.rpcUrl,
      CHAINPASS_CHAIN_ID: String(network.chainId),
      CHAINPASS_FACTORY: network.factory,
      CHAINPASS_FACTORY_START_BLOCK: String(network.factoryStartBlock),
      CHAINPASS_DB: path.join(root, "server.db"),
      CHAINPASS_GATE_KEY: writer.key,
      CHAINPASS_APP_ORIGINS: siteOrigin,
      CHAINPASS_SIWE_DOMAIN: `127.0.0.1:${serverPort}`,
      CHAINPASS_SIWE_ORIGIN: serverUrl,
      CHAINPASS_INDEX_POLL_MS: "200",
      CHAINPASS_GATE_BATCH_INTERVAL_MS: "500",
    });
    cleanup.push(() => server.stop());

    log("an organizer publishes an event");
    const organizer = await fresh("1");
    const staff = await fresh("0.1");
    const session = new ServerSession(serverUrl, { domain: `127.0.0.1:${serverPort}`, origin: serverUrl }, chainId);
    await session.signIn(organizer.account);
    const now = Math.floor(Date.now() / 1000);
    const start = now + 2 * 3600;
    const tiers = [{ name: "Standing", price: parseEther("0.01"), supply: 100, saleStart: now - 60, saleEnd: start }];
    const spec = { name: "Rehearsal Night", symbol: "RN", start, end: start + 4 * 3600 };
    const metadataURI = await session.publish({
      ...spec,
      description: "A rehearsal of a real deployment.",
      venue: "Rehearsal Hall",
      tiers,
      currency: { symbol: "ETH", decimals: 18 },
      art: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 45"><rect width="80" height="45" fill="#0f766e"/></svg>',
    });
    const event = await createEvent(clients, network.factory, organizer.account, { ...spec, metadataURI }, tiers);
    for (const account of [staff.account.address, writer.account.address]) {
      const hash = await clients.wallet(organizer.account).writeContract({ address: event, abi: chainpassEventAbi, functionName: "grantRole", args: [GATE_ROLE, account], account: organizer.account, chain: clients.chain });
      await clients.publicClient.waitForTransactionReceipt({ hash });
    }

    log("building the app for the network");
    const site = path.join(root, "site");
    await runToEnd("build:web", process.execPath, ["--no-warnings", "--import", "tsx", "scripts/build-web.ts", "--network-file", entryFile, "--server-url", serverUrl, "--out-dir", site], { cwd: ROOT });
    await releaseSitePort();
    const host = serveStatic(site, SUB_PATH, sitePort);
    await host.listen();
    cleanup.push(() => host.close());
    const appUrl = `${siteOrigin}${SUB_PATH}`;

    log("a fan buys a ticket in the app");
    const browser: Browser = await launchBrowser();
    cleanup.push(() => browser.close());
    const fan = await fresh("1");
    const { page, log: pageLog } = await newPage(browser);
    const failWith = (what: string, error: unknown): never => {
      throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}\n${(pageLog as PageLog).all.slice(-20).join("\n")}`);
    };
    await installWallet(page, { account: fan.account, rpcUrl: node.rpcUrl, chainId, chains: [chainId] });
    await page.goto(`${appUrl}#/events/${event}/checkout/1`);
    await page.getByTestId("connect-wallet").click();
    const walletsOffered = await page.locator('[data-testid^="connector-"]').evaluateAll((items) => items.map((item) => item.getAttribute("data-testid")!.slice("connector-".length)));
    await page.getByTestId(`connector-${WALLET_RDNS}`).click();
    await page.locator(`[data-testid="wallet-address"][title="${fan.account.address}"]`).waitFor();
    await page.getByTestId("buy").click();
    const bought = await lastTx(page).catch((error) => failWith("the purchase did not settle", error));
    if (bought.state !== "confirmed") failWith("the purchase failed", bought.text);
    const [transfer] = (await clients.publicClient.getContractEvents({ address: event, abi: chainpassEventAbi, eventName: "Transfer", args: { to: fan.account.address }, fromBlock: 0n })) as unknown as {
      args: { tokenId: bigint };
      transactionHash: Hex;
    }[];
    if (!transfer) throw new Error("the app said confirmed, but no ticket reached the fan on chain");
    const tokenId = transfer.args.tokenId;
    const purchaseTx = await clients.publicClient.getTransaction({ hash: transfer.transactionHash });
    const owner = (await clients.publicClient.readContract({ address: event, abi: chainpassEventAbi, functionName: "ownerOf", args: [tokenId] })) as Address;

    log("the fan opens the pass; gate staff scan it");
    await page.goto(`${appUrl}#/tickets/${event}/${tokenId}`);
    await page
      .waitForFunction(() => (document.querySelector('[data-testid="pass-qr"]')?.getAttribute("data-pass") ?? "").length > 0, undefined, { timeout: 30_000 })
      .catch((error) => failWith("the pass did not show", error));
    const pass = (await page.getByTestId("pass-qr").getAttribute("data-pass"))!;
    await waitForText(page.locator("body"), "Rehearsal Night").catch((error) => failWith("the pass page does not name the event", error));

    const cookie = await signInOverHttp(server.gateUrl, staff.account, { domain: `127.0.0.1:${serverPort}`, uri: serverUrl, chainId });
    const scan = await scanOverHttp(server.gateUrl, cookie, event, pass);
    const verdict = String((scan.body as { verdict?: string }).verdict ?? `HTTP ${scan.status}: ${JSON.stringify(scan.body)}`);

    // The server's writer puts the admission on chain.
    const deadline = Date.now() + 30_000;
    let checkIn: { transactionHash: Hex } | undefined;
    while (!checkIn && Date.now() < deadline) {
      [checkIn] = (await clients.publicClient.getContractEvents({ address: event, abi: chainpassEventAbi, eventName: "CheckedIn", args: { tokenId }, fromBlock: 0n })) as unknown as { transactionHash: Hex }[];
      if (!checkIn) await new Promise((r) => setTimeout(r, 250));
    }
    const checkedInOnChain = (await clients.publicClient.readContract({ address: event, abi: chainpassEventAbi, functionName: "isCheckedIn", args: [tokenId] })) as boolean;
    if (!checkIn) throw new Error(`the admission (${verdict}) did not reach the chain within 30 s`);

    const outcome: RehearsalOutcome = {
      ok: true,
      chainId,
      network,
      contractsVerifiedOffline,
      walletsOffered,
      purchase: { event, tokenId: tokenId.toString(), buyer: fan.account.address, transaction: transfer.transactionHash, paid: purchaseTx.value.toString(), owner },
      admission: { verdict, checkInTransaction: checkIn.transactionHash, checkedInOnChain },
    };
    return { outcome, root, source, deploymentId, stablecoin, clients, rpcUrl: node.rpcUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}
