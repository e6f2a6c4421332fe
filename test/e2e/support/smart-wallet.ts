// The test wallet as a smart wallet, the way MetaMask's and Coinbase's wallets are today: the
// fan's EOA is upgraded through EIP-7702 (to eth-infinitism's Simple7702Account) by its first user
// operation; EIP-5792's wallet_sendCalls become ERC-4337 user operations sent to the bundler, and
// a dapp's paymaster service (ERC-7677, the `paymasterService` capability) pays their gas. Without
// that capability the account pays, as such wallets do. Nothing is mocked: the operations go
// through the real bundler (Alto) and the EntryPoint.
import { http, numberToHex, type Address, type Hex, type PrivateKeyAccount, type PublicClient } from "viem";
import { createBundlerClient, createPaymasterClient, toSimple7702SmartAccount, type SmartAccount } from "viem/account-abstraction";

import { callsStatusOf } from "../../../lib/smart-account/calls-status.js";

export interface SmartWalletOptions {
  bundlerUrl: string;
  /** The deployed Simple7702Account the EOA delegates to. */
  implementation: Address;
}

interface SendCallsRequest {
  calls: { to: Address; data?: Hex; value?: Hex }[];
  capabilities?: { paymasterService?: { url?: string } };
}

export class SmartWalletCalls {
  private account?: Promise<SmartAccount>;

  constructor(
    private readonly owner: PrivateKeyAccount,
    private readonly client: PublicClient,
    private readonly opts: SmartWalletOptions,
  ) {}

  capabilities(chainId: number) {
    return { [numberToHex(chainId)]: { atomic: { status: "supported" }, paymasterService: { supported: true } } };
  }

  /** wallet_sendCalls: one user operation for all the calls; its hash is the batch's id. */
  async sendCalls(request: SendCallsRequest): Promise<{ id: Hex }> {
    const account = await (this.account ??= toSimple7702SmartAccount({ client: this.client, owner: this.owner, implementation: this.opts.implementation }));
    const paymasterUrl = request.capabilities?.paymasterService?.url;
    const delegated = (await this.client.getCode({ address: this.owner.address }))?.startsWith("0xef0100");
    const authorization = delegated
      ? undefined
      : await this.owner.signAuthorization({ contractAddress: this.opts.implementation, chainId: this.client.chain!.id, nonce: await this.client.getTransactionCount({ address: this.owner.address }) });
    const id = await this.bundler(account, paymasterUrl).sendUserOperation({
      calls: request.calls.map((call) => ({ to: call.to, data: call.data ?? "0x", value: call.value ? BigInt(call.value) : 0n })),
      authorization,
    });
    return { id };
  }

  /** wallet_getCallsStatus (EIP-5792 v2). */
  async callsStatus(id: Hex, chainId: number) {
    return callsStatusOf(id, chainId, await this.bundler(await this.account!).getUserOperationReceipt({ hash: id }).catch(() => undefined));
  }

  private bundler(account: SmartAccount, paymasterUrl?: string) {
    return createBundlerClient({
      account,
      client: this.client,
      transport: http(this.opts.bundlerUrl),
      paymaster: paymasterUrl ? createPaymasterClient({ transport: http(paymasterUrl) }) : undefined,
      pollingInterval: 250,
    });
  }
}
