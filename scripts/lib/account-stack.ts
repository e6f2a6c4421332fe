// Passkey accounts on a local chain (issue 17): the EntryPoint, the accounts' contracts and a real
// ERC-4337 bundler (Pimlico's Alto, an npm dependency started as a child process like the chain).
// `npm run dev`, the tests and the benchmarks use it; public networks have the EntryPoint already
// and a hosted bundler (configuration only).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { concat, isAddressEqual, parseEther, toHex, zeroAddress, type Address, type Hex } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";

import AccountsModule from "../../ignition/modules/Accounts.js";
import { chainpassPaymasterAbi } from "../../lib/abi/index.js";
import { LOCALHOST } from "../../lib/networks.js";
import { deployModule, type Eip1193 } from "./ignition-deploy.js";
import { localAccount, type LocalClients, type Platform } from "./local-chain.js";
import { freePort, supervise, waitForUrl, type Supervised } from "./supervisor.js";

export interface AccountStack {
  entryPoint: Address;
  passkeyVerifier: Address;
  accountFactory: Address;
  paymaster: Address;
}

/**
 * The CREATE2 deployer every chain has at this address (Arachnid's): the bundler deploys its
 * simulation contracts through it. A local chain gets its (stateless) code set directly.
 */
const DETERMINISTIC_DEPLOYER = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
const DETERMINISTIC_DEPLOYER_CODE: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";

/** The salt EntryPoint v0.8 was deployed with through that deployer: its canonical address follows. */
const ENTRYPOINT_V08_SALT: Hex = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";

/**
 * Deploys EntryPoint v0.8 at its canonical address, as every public chain has it: the release's
 * own bytecode (@account-abstraction/contracts' artifact) through the deterministic deployer with
 * the release's salt. Bundlers recognise the EntryPoint's version by that address.
 */
async function deployCanonicalEntryPoint(clients: LocalClients): Promise<Address> {
  const provider = clients.publicClient;
  await provider.request({ method: "hardhat_setCode" as never, params: [DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_CODE] as never });
  if (await provider.getCode({ address: entryPoint08Address })) return entryPoint08Address;
  const artifact = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@account-abstraction/contracts/artifacts/EntryPoint.json"), "utf8")) as { bytecode: Hex };
  const deployer = localAccount(0);
  const hash = await clients.wallet(deployer).sendTransaction({ to: DETERMINISTIC_DEPLOYER, data: concat([ENTRYPOINT_V08_SALT, artifact.bytecode]), account: deployer, chain: clients.chain, gas: 8_000_000n });
  await provider.waitForTransactionReceipt({ hash });
  if (!(await provider.getCode({ address: entryPoint08Address }))) throw new Error(`EntryPoint v0.8 is not at ${entryPoint08Address} after its deployment`);
  return entryPoint08Address;
}

/**
 * Deploys EntryPoint v0.8 (canonical address) and, through the Accounts module, the passkey
 * verifier, the account factory and the paymaster (signed for by `sponsor`), from the node's
 * first account.
 */
export async function deployAccountStack(clients: LocalClients, platform: Platform, sponsor: Address): Promise<AccountStack> {
  const entryPoint = await deployCanonicalEntryPoint(clients);
  const provider = { request: clients.publicClient.request as Eip1193["request"] };
  const deployed = await deployModule(provider, AccountsModule, {
    ChainpassAccounts: { entryPoint, eventImplementation: platform.implementation, sponsor },
  });
  return { entryPoint, passkeyVerifier: deployed.passkeyVerifier, accountFactory: deployed.accountFactory, paymaster: deployed.paymaster };
}

/** Which local accounts the bundler signs with: its executor (sends handleOps) and utility (deploys its simulation contracts). */
export const BUNDLER_ACCOUNTS = { executor: 17, utility: 16 } as const;

const privateKeyOf = (index: number) => toHex(localAccount(index).getHdKey().privateKey!);

export interface Bundler {
  url: string;
  process: Supervised;
  stop(): Promise<void>;
}

/**
 * Starts Alto for `entryPoint` on the chain at `rpcUrl` and resolves once it answers. Safe mode
 * (ERC-7562's tracing of validation) is off: it needs `debug_traceCall` with a JavaScript tracer,
 * which the local node lacks; the paymaster keeps to the rules anyway (its own storage only).
 */
export async function startBundler(opts: { rpcUrl: string; entryPoint: Address; port?: number; log?: (chunk: string) => void }): Promise<Bundler> {
  const port = opts.port ?? (await freePort());
  // The package exports only its library; its command (package.json "bin") sits beside it.
  const alto = join(dirname(createRequire(import.meta.url).resolve("@pimlico/alto")), "cli/alto.js");
  const child = supervise("bundler", process.execPath, [
    alto,
    "--entrypoints", opts.entryPoint,
    "--rpc-url", opts.rpcUrl,
    "--executor-private-keys", privateKeyOf(BUNDLER_ACCOUNTS.executor),
    "--utility-private-key", privateKeyOf(BUNDLER_ACCOUNTS.utility),
    "--safe-mode", "false",
    "--port", String(port),
    "--block-time", "100",
    "--min-bundle-interval", "10",
    "--max-bundle-interval", "100",
    "--utility-wallet-monitor", "false",
    "--refilling-wallets", "false",
    "--enable-cors", "true",
    "--log-level", "warn",
  ], { onOutput: opts.log });
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(url, child, 60_000, {
    init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }) },
    ready: async (response) => ((await response.json()) as { result?: string[] }).result?.some((address) => isAddressEqual(address as Address, opts.entryPoint)) ?? false,
  });
  return { url, process: child, stop: () => child.stop() };
}

/**
 * Passkey accounts on the local chain as `npm run dev` and the browser tests run them: the stack
 * deployed at lib/networks.ts's addresses (checked: the app is built with them), the platform's gas
 * budget funded with 1 ETH (fans' first actions on any event are sponsored out of it), and the
 * bundler started (on `bundlerPort`, else a free port).
 */
export async function startLocalPasskeys(clients: LocalClients, platform: Platform, opts: { rpcUrl: string; sponsor: Address; bundlerPort?: number }) {
  const stack = await deployAccountStack(clients, platform, opts.sponsor);
  const expected = LOCALHOST.passkeys!;
  for (const name of ["entryPoint", "accountFactory", "passkeyVerifier", "paymaster"] as const) {
    if (!isAddressEqual(stack[name], expected[name])) throw new Error(`${name} deployed at ${stack[name]}; lib/networks.ts says ${expected[name]}`);
  }
  const platformAccount = localAccount(0);
  const hash = await clients.wallet(platformAccount).writeContract({ address: stack.paymaster, abi: chainpassPaymasterAbi, functionName: "fund", args: [zeroAddress], value: parseEther("1"), account: platformAccount, chain: clients.chain });
  await clients.publicClient.waitForTransactionReceipt({ hash });
  return { stack, bundler: await startBundler({ rpcUrl: opts.rpcUrl, entryPoint: stack.entryPoint, port: opts.bundlerPort }) };
}
