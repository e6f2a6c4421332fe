// A local chain with the platform and the passkey accounts' contracts (EntryPoint v0.8 at its
// canonical address, the verifier, the factory and the paymaster, sponsored by `SPONSOR`), and the
// small steps the account tests share: USDC events, and transactions that must succeed.
import { expect } from "chai";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Abi, Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { toSimple7702SmartAccount } from "viem/account-abstraction";

import { deployAccountStack } from "../../scripts/lib/account-stack.js";
import { createEvent, deployPlatform, localAccount, type LocalClients } from "../../scripts/lib/local-chain.js";
import { startLocalChain } from "./server.js";

/** MockUSDC's calls the tests make (anyone may mint). */
export const MOCK_USDC_ABI = [
  { type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] },
  { type: "function", name: "approve", stateMutability: "nonpayable", inputs: [{ name: "spender", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
  { type: "function", name: "transfer", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
  { type: "function", name: "balanceOf", stateMutability: "view", inputs: [{ name: "account", type: "address" }], outputs: [{ type: "uint256" }] },
] as const;

/** Deploys eth-infinitism's Simple7702Account (the release's artifact), the code fans' own EIP-7702 wallets delegate to in tests. */
export async function deploySimple7702Account(clients: LocalClients): Promise<Address> {
  const artifact = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@account-abstraction/contracts/artifacts/Simple7702Account.json"), "utf8")) as { abi: Abi; bytecode: Hex };
  const deployer = localAccount(0);
  const hash = await clients.wallet(deployer).deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, account: deployer, chain: clients.chain });
  return (await clients.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
}

/** The sponsorship service's key in these tests (the paymaster accepts what it signs). */
export const SPONSOR = localAccount(15);
export const ORGANIZER = localAccount(2);

export async function startAccountChain() {
  const chain = await startLocalChain();
  const platform = await deployPlatform(chain.clients);
  const stack = await deployAccountStack(chain.clients, platform, SPONSOR.address);

  /** Sends a call from `account` and asserts it succeeded; resolves with the receipt. */
  async function send(account: ReturnType<typeof localAccount>, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], value?: bigint) {
    const hash = await chain.clients.wallet(account).writeContract({ address, abi, functionName, args, account, chain: chain.clients.chain, value } as never);
    const receipt = await chain.clients.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status, functionName).to.equal("success");
    return receipt;
  }

  /** A USDC event of ORGANIZER's on sale now, one tier at `price`, a day away. */
  async function usdcEvent(name: string, price: bigint): Promise<Address> {
    const now = Number((await chain.clients.publicClient.getBlock()).timestamp);
    return createEvent(
      chain.clients,
      platform.factory,
      ORGANIZER,
      { name, symbol: "PKN", metadataURI: "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", start: now + 86_400, end: now + 90_000, currency: platform.usdc },
      [{ name: "General", price, supply: 100, saleStart: now - 60, saleEnd: now + 86_400 }],
    );
  }

  let simple7702: Promise<Address> | undefined;
  /**
   * A fan's own wallet, as wallets that accept a paymaster make one: a new EOA (no ETH) whose code is
   * delegated through EIP-7702 to eth-infinitism's Simple7702Account (deployed here once). viem
   * signs the authorization with the first user operation.
   */
  async function ownWallet() {
    simple7702 ??= deploySimple7702Account(chain.clients);
    const owner = privateKeyToAccount(generatePrivateKey());
    return { owner, implementation: await simple7702, account: await toSimple7702SmartAccount({ client: chain.clients.publicClient, owner, implementation: await simple7702 }) };
  }

  return { chain, platform, stack, send, usdcEvent, ownWallet };
}
