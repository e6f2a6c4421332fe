// The event's gas budget (issue 17): the ETH the platform's paymaster spends on fans' passkey
// accounts for this event's actions (buying, gifting, reselling, returns). The organizer funds it,
// sees what is left and what was spent, and takes back what is left; and may open the budget to
// fans' own wallets (EIP-7702 or smart wallets that accept a paymaster). Shown only on networks
// with passkey accounts (lib/networks.ts `passkeys`).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatEther, parseEther } from "viem";
import { useAccount, useReadContracts } from "wagmi";

import { chainpassPaymasterAbi } from "../../../lib/abi/index.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import type { ConsoleEvent } from "./types.js";

/** The amount typed, in wei; undefined unless a positive ETH amount. */
function weiOf(text: string): bigint | undefined {
  try {
    const wei = parseEther(text.trim());
    return wei > 0n ? wei : undefined;
  } catch {
    return undefined;
  }
}

export function GasBudget({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const { address: me } = useAccount();
  const tx = useTransactions();
  const [amount, setAmount] = useState("");
  const paymaster = { address: network.passkeys!.paymaster, abi: chainpassPaymasterAbi } as const;
  const reads = useReadContracts({
    contracts: [
      { ...paymaster, functionName: "budgetOf", args: [ev.address] },
      { ...paymaster, functionName: "spentOf", args: [ev.address] },
      { ...paymaster, functionName: "walletsSponsored", args: [ev.address] },
    ],
  });
  const [left, spent, wallets] = [reads.data?.[0]?.result, reads.data?.[1]?.result, reads.data?.[2]?.result];
  const wei = weiOf(amount);
  const eth = (value: bigint | undefined) => (value === undefined ? "…" : `${formatEther(value)} ETH`);
  const run = (label: string, call: Parameters<typeof tx.send>[1]) =>
    void tx
      .send(label, call)
      .then(() => {
        setAmount("");
        void reads.refetch();
      })
      .catch((e: unknown) => {
        if (!(e instanceof TxFailed)) throw e;
      });

  return (
    <section className="card" data-testid="gas-budget" aria-labelledby="gas-budget-title">
      <h2 id="gas-budget-title">{t("gas.title")}</h2>
      <p className="muted small">{t("gas.intro")}</p>
      <dl className="review">
        <dt>{t("gas.left")}</dt>
        <dd data-testid="gas-left">{eth(left)}</dd>
        <dt>{t("gas.spent")}</dt>
        <dd data-testid="gas-spent">{eth(spent)}</dd>
      </dl>
      <label>
        {t("gas.amount")}
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.05" data-testid="gas-amount" />
      </label>
      <div className="row">
        <button type="button" className="primary" data-testid="gas-fund" disabled={!wei || tx.busy} onClick={() => run(t("gas.txFund", { amount: eth(wei) }), { ...paymaster, functionName: "fund", args: [ev.address], value: wei })}>
          {t("gas.fund")}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="gas-withdraw"
          disabled={!wei || !me || tx.busy || left === undefined || left < wei}
          onClick={() => run(t("gas.txWithdraw", { amount: eth(wei) }), { ...paymaster, functionName: "withdrawBudget", args: [ev.address, me!, wei!] })}
        >
          {t("gas.withdraw")}
        </button>
      </div>
      <label className="inline">
        <input
          type="checkbox"
          data-testid="gas-wallets"
          checked={wallets === true}
          disabled={wallets === undefined || tx.busy}
          onChange={(e) => run(t(e.target.checked ? "gas.txWalletsOn" : "gas.txWalletsOff"), { ...paymaster, functionName: "setWalletSponsorship", args: [ev.address, e.target.checked] })}
        />
        {t("gas.wallets")}
      </label>
      <p className="muted small">{t("gas.walletsHint")}</p>
      <TxStatus steps={tx.steps} />
    </section>
  );
}
