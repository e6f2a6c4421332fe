// Paying for a primary purchase (buy, buyThrough, buyWith, buySlot) from the fan's wallet: in ETH with the
// purchase itself; in an ERC-20 whose allowance is short, a permit signed and sent with the
// purchase in one transaction (EIP-2612, lib/permit.ts), or approve and then buy where the token has
// no permit; a smart account (the passkey wallet) sends the approval and the purchase as one
// batch. The checkout and the slot checkout both pay this way, and an exchange for a dearer
// ticket (My tickets) its difference.
import type { TFunction } from "i18next";
import { encodeFunctionData, erc20Abi, type Abi, type Address, type Hex, type TransactionReceipt } from "viem";
import type { Config } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { permitSignatureParts, permitTypedData, readPermitSupport } from "../../../lib/permit.js";
import { formatAmount, type Currency } from "../shared/format.js";
import type { useTransactions } from "../shared/tx.js";
import { network } from "../wallet/network.js";

/** How long a permit signed at checkout stays usable: the purchase is sent at once. */
const PERMIT_LIFETIME_SECONDS = 30 * 60;

export interface Purchase {
  functionName: "buy" | "buyThrough" | "buyWith" | "buySlot" | "exchangeTicket";
  args: readonly unknown[];
}

/**
 * Pays `total` (the most the purchase may cost: its maxTotal) and sends `purchase` to `event` as
 * steps of `tx` (the last labelled `step`, "Buy tickets" by default). Returns "short" without
 * sending anything when the token balance does not cover the total (the caller refreshes what it
 * shows), else the purchase's receipt; throws TxFailed when a step fails.
 */
export async function payAndSend(o: {
  config: Config;
  tx: ReturnType<typeof useTransactions>;
  t: TFunction;
  locale: string;
  currency: Currency;
  me: Address;
  event: Address;
  total: bigint;
  purchase: Purchase;
  step?: string;
  /** More errors the purchase can revert with (a membership program's, passed through), to decode. */
  errors?: Abi;
}): Promise<TransactionReceipt | "short"> {
  const { config, tx, t, locale, currency, me, event, total, purchase } = o;
  const abi: Abi = o.errors ? [...chainpassEventFanAbi, ...o.errors] : chainpassEventFanAbi;
  const step = o.step ?? t("checkout.buyStep");
  // An encoded permitCurrency call, sent with the purchase in one multicall.
  let permit: Hex | undefined;
  if (!currency.native && total > 0n) {
    const balance = await readContract(config, { address: currency.address, abi: erc20Abi, functionName: "balanceOf", args: [me] });
    if (balance < total) return "short";
    const allowance = await readContract(config, { address: currency.address, abi: erc20Abi, functionName: "allowance", args: [me, event] });
    if (allowance < total && (await (await import("../shared/batch.js")).walletBatches(config))) {
      // A smart account (the passkey wallet): the approval and the purchase in one operation. Its
      // signatures are ERC-1271, which EIP-2612 permits do not take.
      return tx.sendBatch(step, [
        { address: currency.address, abi: erc20Abi as Abi, functionName: "approve", args: [event, total] },
        { address: event, abi, ...purchase },
      ]);
    }
    if (allowance < total) {
      // The bare client: getPublicClient's would bring every public action into this page.
      const support = await readPermitSupport(config.getClient({ chainId: network.chainId }), currency.address, me);
      if (support) {
        const deadline = BigInt(Math.floor(Date.now() / 1000) + PERMIT_LIFETIME_SECONDS);
        const message = { owner: me, spender: event, value: total, nonce: support.nonce, deadline };
        const signature = await tx.sign(t("checkout.permitStep", { amount: formatAmount(total, currency, locale) }), () =>
          signTypedData(config, permitTypedData(support.domain, message)),
        );
        const { v, r, s } = permitSignatureParts(signature);
        permit = encodeFunctionData({ abi: chainpassEventFanAbi, functionName: "permitCurrency", args: [total, deadline, v, r, s] });
      } else {
        await tx.send(t("checkout.approveStep", { symbol: currency.symbol }), { address: currency.address, abi: erc20Abi, functionName: "approve", args: [event, total] });
      }
    }
  }
  if (permit) {
    const encoded = encodeFunctionData({ abi: chainpassEventFanAbi as Abi, ...purchase });
    return tx.send(step, { address: event, abi, functionName: "multicall", args: [[permit, encoded]] });
  }
  // Sent as itself: multicall takes no ETH.
  return tx.send(step, { address: event, abi, ...purchase, value: currency.native ? total : undefined });
}

