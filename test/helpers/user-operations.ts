// User operations built without a bundler, for the contract tests and bench:gas: fixed gas limits
// (ample, so nothing depends on an estimate), the account's passkey signature, and optionally a
// sponsorship signed as the server's sponsorship service signs it. The bundler's own path
// (estimation, ERC-7677) is tested in test/accounts/bundler.test.ts and sponsorship.test.ts.
import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import type { SmartAccount, UserOperation } from "viem/account-abstraction";

import { encodePaymasterData, sponsorshipTypedData, type SponsorshipTerms } from "../../lib/smart-account/sponsorship.js";

export interface Sponsorship {
  paymaster: Address;
  sponsor: LocalAccount;
  budget: Address;
  /** Validity window (default: no window). */
  validAfter?: number;
  validUntil?: number;
}

/** The sponsor's paymasterData for `op` (its paymaster gas limits set) under `terms`. */
export async function sponsorOperation(op: UserOperation<"0.8">, chainId: number, sponsorship: Sponsorship, signer: LocalAccount = sponsorship.sponsor): Promise<Hex> {
  const terms: SponsorshipTerms = { validAfter: sponsorship.validAfter ?? 0, validUntil: sponsorship.validUntil ?? 0, budget: sponsorship.budget };
  const signature = await signer.signTypedData(sponsorshipTypedData(op, terms, { chainId, paymaster: sponsorship.paymaster }));
  return encodePaymasterData(terms, signature);
}

/** A signed user operation of `account` making `calls`, its gas paid by the account, or by `sponsorship`. */
export async function userOperation(client: PublicClient, account: SmartAccount, calls: { to: Address; data: Hex; value?: bigint }[], sponsorship?: Sponsorship): Promise<UserOperation<"0.8">> {
  const sender = await account.getAddress();
  const deployed = !!(await client.getCode({ address: sender }));
  const fees = await client.estimateFeesPerGas();
  const op: UserOperation<"0.8"> = {
    sender,
    nonce: await account.getNonce({ key: 0n }),
    ...(deployed ? {} : await account.getFactoryArgs()),
    callData: await account.encodeCalls(calls),
    callGasLimit: 600_000n,
    verificationGasLimit: 1_500_000n,
    preVerificationGas: 60_000n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    signature: "0x",
  };
  if (sponsorship) {
    Object.assign(op, { paymaster: sponsorship.paymaster, paymasterVerificationGasLimit: 150_000n, paymasterPostOpGasLimit: 60_000n });
    op.paymasterData = await sponsorOperation(op, client.chain!.id, sponsorship);
  }
  op.signature = await account.signUserOperation(op as never);
  return op;
}
