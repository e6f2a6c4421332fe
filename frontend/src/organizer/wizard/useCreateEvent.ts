// Creating the event from a checked draft: the event metadata to IPFS → TicketFactory.createEvent →
// the refund policy (when there is one, before anything can sell) → each tier's options and seat
// map on the new event, every step with its state on screen. On success the console of the new
// event opens.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { parseEventLogs, stringToHex, zeroHash, type Abi, type Address, type Hex } from "viem";

import { chainpassEventAbi, ticketFactoryAbi } from "../../../../lib/abi/index.js";
import { api } from "../../shared/api.js";
import { nowSeconds, type Currency } from "../../shared/format.js";
import { TxFailed, useTransactions } from "../../shared/tx.js";
import { network } from "../../wallet/network.js";
import { rememberPresaleStart } from "../presale.js";
import { localToUnix, parseAmount, percentToBps, policyIndex, symbolFrom } from "../util.js";
import type { EventDraft } from "./draft.js";
import { payoutOf, refundStepsOf } from "./validate.js";

/** createEvent's ABI with the new event's errors too: its initialize reverts through the factory. */
const CREATE_ABI = [...ticketFactoryAbi, ...chainpassEventAbi.filter((item) => item.type === "error")] as Abi;

export type MetadataState = "idle" | "pending" | "done" | "failed";

/** `zone`: the venue's, in which the transactions' errors say times; `onFeeRefused`: the platform raised its fee meanwhile. */
export function useCreateEvent({ currency, zone, account, onFeeRefused }: { currency: Currency; zone: string; account?: Address; onFeeRefused: () => void }) {
  const { t } = useTranslation("organizer");
  const navigate = useNavigate();
  const { steps, send, busy, reset } = useTransactions({ currency, zone });
  const [metadataState, setMetadataState] = useState<MetadataState>("idle");
  const [metadataError, setMetadataError] = useState<string | null>(null);
  const [created, setCreated] = useState<Address | null>(null);
  const [running, setRunning] = useState(false);

  /**
   * Creates the event the draft describes (every step's checks passed), accepting at most
   * `acceptedFeeBps`: a fee raised before the transaction lands makes createEvent refuse.
   */
  async function create(draft: EventDraft, acceptedFeeBps: number) {
    reset();
    setRunning(true);
    setMetadataError(null);
    setMetadataState("pending");
    const toUnix = (value: string) => localToUnix(value, draft.timezone);
    const start = toUnix(draft.start)!;
    const end = toUnix(draft.end)!;
    try {
      const now = nowSeconds();
      const tierParams = draft.tiers.map((tier) => ({
        name: tier.name.trim(),
        price: parseAmount(tier.price, currency)!,
        supply: Number(tier.supply),
        maxPerWallet: tier.maxPerWallet ? Number(tier.maxPerWallet) : 0,
        saleStart: tier.saleStart ? toUnix(tier.saleStart)! : now,
        saleEnd: tier.saleEnd ? toUnix(tier.saleEnd)! : start,
      }));
      const refundSteps = refundStepsOf(draft);
      let uri: string;
      try {
        const venueName = draft.venueName.trim();
        const venueAddress = draft.venueAddress.trim();
        const metadata = await api<{ uri: string }>("/metadata/event", {
          method: "POST",
          json: {
            name: draft.name.trim(),
            description: draft.description.trim(),
            image: draft.artwork!.uri,
            venue: venueAddress ? { name: venueName, address: venueAddress } : { name: venueName },
            start_time: start,
            end_time: end,
            timezone: draft.timezone,
            currency: { symbol: currency.symbol, decimals: currency.decimals },
            tiers: tierParams.map((x) => ({ name: x.name, price: x.price.toString() })),
            ...(refundSteps.length > 0 ? { refundPolicy: { steps: refundSteps } } : {}),
          },
        });
        uri = metadata.uri;
        setMetadataState("done");
      } catch (error) {
        setMetadataState("failed");
        setMetadataError(error instanceof Error ? error.message : String(error));
        return;
      }
      const params = {
        name: draft.name.trim(),
        symbol: (draft.symbol.trim() || symbolFrom(draft.name)).toUpperCase(),
        metadataURI: uri,
        start,
        end,
        currency: currency.address,
        payout: payoutOf(draft, account),
        royaltyBps: percentToBps(draft.royalty)!,
        resaleCapBps: percentToBps(draft.resaleCap)!,
        policy: policyIndex(draft.policy),
        giftsPerHolder: draft.policy === "capped" ? Number(draft.gifts) : 0,
      };
      const receipt = await send(t("create.tx.create"), {
        address: network.factory,
        abi: CREATE_ABI,
        functionName: "createEvent",
        args: [params, tierParams, acceptedFeeBps],
      }).catch((error: unknown) => {
        // Show the new fee (the refusal names it too) so the organizer can accept it knowingly.
        if (error instanceof TxFailed && error.decoded.name === "PlatformFeeAboveLimit") onFeeRefused();
        throw error;
      });
      const [log] = parseEventLogs({ abi: ticketFactoryAbi, eventName: "EventCreated", logs: receipt.logs });
      const ticket = (log?.args as { ticket: Address } | undefined)?.ticket;
      if (!ticket) throw new Error("EventCreated not found in the receipt");
      setCreated(ticket);
      // Exchanges are not offered (the app has no exchange flow yet).
      if (refundSteps.length > 0) await send(t("create.tx.refunds"), { address: ticket, abi: chainpassEventAbi, functionName: "setRefundPolicy", args: [refundSteps, false] });
      for (const [i, tier] of draft.tiers.entries()) {
        const tierId = BigInt(i + 1);
        if (tier.presaleStart) rememberPresaleStart(ticket, i + 1, toUnix(tier.presaleStart)!);
        if (tier.earlyPrice || tier.entryStart) {
          const options = {
            earlyPrice: tier.earlyPrice ? parseAmount(tier.earlyPrice, currency)! : 0n,
            earlyUntil: tier.earlyPrice ? toUnix(tier.earlyUntil)! : 0,
            entryStart: tier.entryStart ? toUnix(tier.entryStart)! : 0,
            entryEnd: tier.entryStart ? toUnix(tier.entryEnd)! : 0,
            presaleStart: 0,
            presaleRoot: zeroHash as Hex,
          };
          await send(t("create.tx.options", { tier: tier.name.trim() }), { address: ticket, abi: chainpassEventAbi, functionName: "setTierOptions", args: [tierId, options] });
        }
        if (tier.seated) {
          const blocks = tier.sections.map((s) => ({
            section: stringToHex(s.name.trim(), { size: 16 }),
            firstRow: 1,
            rows: Number(s.rows),
            firstSeat: 1,
            seatsPerRow: Number(s.seatsPerRow),
            letteredRows: s.lettered,
          }));
          await send(t("create.tx.seats", { tier: tier.name.trim() }), { address: ticket, abi: chainpassEventAbi, functionName: "setSeatMap", args: [tierId, blocks] });
        }
      }
      void navigate(`/organizer/${ticket.toLowerCase()}`);
    } catch (error) {
      if (!(error instanceof TxFailed)) setMetadataError(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  }

  return { create, steps, busy, running, created, metadataState, metadataError };
}
