// Sending contract transactions with visible state: simulate first (a revert is decoded into a
// sentence before anything is signed), then signing → pending → confirmed | failed. After a
// confirmation the index is given time to reach the transaction's block, then queries refresh.
// viem's sending and receipt polling (shared/send.ts) load when a page first sends.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Abi, Address, ContractFunctionName, Hash, TransactionReceipt } from "viem";
import { useConfig } from "wagmi";

import { queryIndex } from "../../../lib/index/index.js";
import { inBatches } from "../../../lib/transaction-gas.js";
import { absoluteUrl, network } from "../wallet/network.js";
import { describeError, type DecodedError } from "./errors.js";
import type { Currency } from "./format.js";

export interface ContractCall<abi extends Abi = Abi> {
  address: Address;
  abi: abi;
  /** A function `abi` has: checked where it is a literal, as lib/abi's are (the fan's are parts of the contract's). */
  functionName: ContractFunctionName<abi, "nonpayable" | "payable">;
  args?: readonly unknown[];
  value?: bigint;
}

export interface TxStep {
  /** Unique in the page's lifetime: a new flow after a reset is told apart from the last one. */
  id: number;
  label: string;
  status: "signing" | "pending" | "confirmed" | "failed";
  hash?: Hash;
  error?: DecodedError;
  /** A paymaster pays the network fee (the wallet was handed the sponsorship service). */
  sponsored?: boolean;
}

/** Thrown by `send` after the failure is shown; callers stop their sequence on it. */
export class TxFailed extends Error {
  constructor(readonly decoded: DecodedError) {
    super(decoded.message);
  }
}

/** Waits (up to ~10 s) until the index has processed `blockNumber`. */
export async function waitForIndex(blockNumber: bigint) {
  for (let i = 0; i < 50; i++) {
    try {
      const { _meta } = await queryIndex<{ _meta: { block: { number: number } } }>(absoluteUrl(network.indexUrl), "{ _meta { block { number } } }");
      if (BigInt(_meta.block.number) >= blockNumber) return;
    } catch {
      // the index may be restarting; keep waiting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

let nextStepId = 1;

/** `currency` words amounts of a refusal; `zone` (the venue's) its times. */
export function useTransactions(context: { currency?: Currency; zone?: string } = {}) {
  const config = useConfig();
  const queryClient = useQueryClient();
  const { t, i18n } = useTranslation();
  const [steps, setSteps] = useState<TxStep[]>([]);
  // sendEach runs between its steps too (each waits for the index and the refetch before the next
  // starts): the form stays busy for the whole list, so a second click cannot send a part again.
  const [listsSending, setListsSending] = useState(0);

  const update = (index: number, patch: Partial<TxStep>) => setSteps((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));

  /** Runs `run` as a step on screen: signing first, then what `run` reports, confirmed or failed in words. */
  async function step<T>(label: string, run: (report: (patch: Partial<TxStep>) => void) => Promise<T>): Promise<T> {
    let index = 0;
    setSteps((all) => {
      index = all.length;
      return [...all, { id: nextStepId++, label, status: "signing" }];
    });
    try {
      const result = await run((patch) => update(index, patch));
      update(index, { status: "confirmed" });
      return result;
    } catch (error) {
      const decoded = describeError(error, t, { currency: context.currency, zone: context.zone, locale: i18n.language });
      update(index, { status: "failed", error: decoded });
      throw new TxFailed(decoded);
    }
  }

  /** A step that sends (`run`); once mined, the index is given time to reach its block and every query refreshes. */
  function sent(label: string, run: (report: (patch: Partial<TxStep>) => void) => Promise<TransactionReceipt>): Promise<TransactionReceipt> {
    return step(label, async (report) => {
      const receipt = await run(report);
      await waitForIndex(receipt.blockNumber);
      return receipt;
    }).then(async (receipt) => {
      await queryClient.invalidateQueries();
      return receipt;
    });
  }

  /** `calls` as one EIP-5792 batch, with the sponsorship service when `paymasterUrl` (shared/batch.ts): the receipt of the transaction that carried them. */
  async function viaBatch(calls: ContractCall[], paymasterUrl: string | undefined, report: (patch: Partial<TxStep>) => void): Promise<TransactionReceipt> {
    const [{ sendBatchAndWait }, { waitForReceipt }] = await Promise.all([import("./batch.js"), import("./send.js")]);
    const hash = await sendBatchAndWait(config, calls, () => report({ status: "pending", sponsored: paymasterUrl !== undefined }), paymasterUrl);
    report({ hash });
    return waitForReceipt(config, hash);
  }

  /** The sponsorship service's URL when the event `calls` end at pays the connected wallet's gas (networks with passkeys only). */
  async function sponsorship(calls: ContractCall[]): Promise<string | undefined> {
    if (!network.passkeys) return undefined;
    const { sponsorshipFor } = await import("./batch.js");
    return sponsorshipFor(config, calls[calls.length - 1].address);
  }

  function send<const abi extends Abi>(label: string, call: ContractCall<abi>): Promise<TransactionReceipt> {
    return sent(label, async (report) => {
      const { sendAndWait, simulate } = await import("./send.js");
      // chainId: wagmi then refuses (ConnectorChainMismatchError) when the wallet is on another
      // chain, instead of the wallet sending our calldata to the same address on that chain.
      const onChain = { ...call, chainId: network.chainId };
      const paymasterUrl = await sponsorship([call as ContractCall]);
      if (!paymasterUrl) return sendAndWait(config, onChain, (hash) => report({ status: "pending", hash }));
      // The event pays this wallet's gas: a batch of one, handed the paymaster, simulated first all the same.
      await simulate(config, onChain);
      return viaBatch([call as ContractCall], paymasterUrl, report);
    });
  }

  /**
   * Calls sent together as one atomic batch (EIP-5792 `wallet_sendCalls`), for wallets that can:
   * an approval and the purchase it is for, in one confirmation. Each call but the first cannot be
   * simulated alone (it depends on the ones before), so a refusal comes from the wallet's own
   * simulation. Resolves with the receipt of the transaction that carried them.
   */
  function sendBatch(label: string, calls: ContractCall[]): Promise<TransactionReceipt> {
    return sent(label, async (report) => viaBatch(calls, await sponsorship(calls), report));
  }

  /**
   * `call` for each slice of `items` of at most `size` (lib/transaction-gas.ts: no transaction may
   * carry a longer list), one after another, each a step of its own: labelled by `label(part,
   * parts)`, or `label` with "(2/3)" when there are several.
   */
  async function sendEach<const abi extends Abi, T>(
    label: string | ((part: number, parts: number) => string),
    items: readonly T[],
    size: number,
    call: (slice: T[]) => ContractCall<abi>,
  ): Promise<void> {
    const slices = inBatches(items, size);
    const parts = slices.length;
    const labelOf = typeof label === "function" ? label : (part: number) => (parts > 1 ? t("tx.part", { label, part, parts }) : label);
    setListsSending((n) => n + 1);
    try {
      for (const [i, slice] of slices.entries()) await send(labelOf(i + 1, parts), call(slice));
    } finally {
      setListsSending((n) => n - 1);
    }
  }

  /** A signature the flow needs (a permit): shown as a step like a transaction, confirmed once signed. */
  function sign<T>(label: string, run: () => Promise<T>): Promise<T> {
    return step(label, () => run());
  }

  const busy = listsSending > 0 || steps.some((s) => s.status === "signing" || s.status === "pending");
  return { steps, busy, send, sendEach, sendBatch, sign, reset: () => setSteps([]) };
}
