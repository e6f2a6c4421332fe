// Tickets held by a contract wallet (MockERC1271Wallet, test/TicketHolderContracts.sol): the
// wallet itself and its passes, for the gate's EIP-1271 checks.
import { getAddress, type Address } from "viem";

import { delegationDigest, makePass, passKeyFromSecret, type PassDelegation } from "../../lib/pass/index.js";
import { artifact, localAccount, type LocalClients } from "../../scripts/lib/local-chain.js";
import { now } from "./server.js";

/** Deploys MockERC1271Wallet (valid signatures are `owner`'s ECDSA over the hash) and returns its address. */
export async function deployContractWallet(chain: { clients: LocalClients }, owner: Address): Promise<Address> {
  const { abi, bytecode } = artifact("test/TicketHolderContracts.sol/MockERC1271Wallet.json");
  const deployer = localAccount(0);
  const hash = await chain.clients.wallet(deployer).deployContract({ abi, bytecode, args: [owner], account: deployer, chain: chain.clients.chain });
  return getAddress((await chain.clients.publicClient.waitForTransactionReceipt({ hash })).contractAddress!);
}

/**
 * Passes of a contract wallet: the delegation covers all its tickets, signed by the wallet's owner
 * over the EIP-712 digest. With `registered`, the passes carry no signature (L = 0), as a passkey
 * account's do once the app registered its signature with the gate (`delegation` and `walletSignature`).
 */
export async function contractWalletPasses(wallet: Address, ownerIndex: number, event: Address, seed: number, opts: { registered?: boolean } = {}) {
  const passKey = passKeyFromSecret(`0x${seed.toString(16).padStart(2, "0").repeat(32)}`);
  const delegation: PassDelegation = { chainId: 31337n, ticket: event, tokenId: 0n, passKey: passKey.publicKey, validUntil: now() + 86_400 };
  const walletSignature = await localAccount(ownerIndex).sign!({ hash: delegationDigest(delegation) });
  const passes = (id: bigint) => makePass({ passKey, delegation, holder: wallet, walletSignature: opts.registered ? "0x" : walletSignature, tokenId: id, now: now() });
  return Object.assign(passes, { delegation, walletSignature });
}
