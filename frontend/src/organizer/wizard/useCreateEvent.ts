// Creating the event from a checked draft: the event metadata to IPFS → TicketFactory.createEvent →
// the refund policy (when there is one, before anything can sell) → each tier's options and seat
// map on the new event, every step with its state on screen. A season or a run puts every tier on
// its calendar as soon as the seat maps are set (until then its tiers would sell as plain
// tickets): createEvent → seat maps → addCalendar → the refund policy → tier options. On success
// the console of the new event opens.
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
import { isSeated, onCalendar, seatCount, UNCAPPED_SUPPLY, type EventDraft, type TierDraft } from "./draft.js";
import { eventTimesOf, planSchedule } from "./schedule.js";
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
    // A season's or a run's times cover its slots: its first one's start to its last one's end.
    const times = eventTimesOf(draft);
    const start = times.start!;
    const end = times.end!;
    const calendar = onCalendar(draft);
    const plan = planSchedule(draft);
    // (The schedule step's checks make a plan; without one a season's tiers would be created uncapped and off any calendar.)
    if (calendar && !plan) {
      setRunning(false);
      setMetadataState("failed");
      setMetadataError(t("create.problem.noSlots"));
      return;
    }
    /** What createEvent gets as a tier's supply: a season's types are uncapped; a run's seated type has its seat map's seats (setSeatMap sets them again). */
    const supplyOf = (tier: TierDraft) => (draft.format === "season" ? UNCAPPED_SUPPLY : draft.format === "run" && isSeated(draft, tier) ? seatCount(tier) : Number(tier.supply));
    try {
      const now = nowSeconds();
      const tierParams = draft.tiers.map((tier) => ({
        name: tier.name.trim(),
        price: parseAmount(tier.price, currency)!,
        supply: supplyOf(tier),
        maxPerWallet: tier.maxPerWallet ? Number(tier.maxPerWallet) : 0,
        saleStart: tier.saleStart ? toUnix(tier.saleStart)! : now,
        // A calendar's tiers sell until the end; each slot's own sale closes before it starts.
        saleEnd: calendar ? end : tier.saleEnd ? toUnix(tier.saleEnd)! : start,
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
      const setRefunds = async () => {
        // Exchanges are not offered (the app has no exchange flow yet).
        if (refundSteps.length > 0) await send(t("create.tx.refunds"), { address: ticket, abi: chainpassEventAbi, functionName: "setRefundPolicy", args: [refundSteps, false] });
      };
      const setOptions = async (tier: TierDraft, i: number) => {
        if (tier.presaleStart) rememberPresaleStart(ticket, i + 1, toUnix(tier.presaleStart)!);
        // A calendar tier's entry window is its slot's.
        const entry = !calendar && tier.entryStart;
        if (tier.earlyPrice || entry) {
          const options = {
            earlyPrice: tier.earlyPrice ? parseAmount(tier.earlyPrice, currency)! : 0n,
            earlyUntil: tier.earlyPrice ? toUnix(tier.earlyUntil)! : 0,
            entryStart: entry ? toUnix(tier.entryStart)! : 0,
            entryEnd: entry ? toUnix(tier.entryEnd)! : 0,
            presaleStart: 0,
            presaleRoot: zeroHash as Hex,
          };
          await send(t("create.tx.options", { tier: tier.name.trim() }), { address: ticket, abi: chainpassEventAbi, functionName: "setTierOptions", args: [BigInt(i + 1), options] });
        }
      };
      const setSeats = async (tier: TierDraft, i: number) => {
        if (!isSeated(draft, tier)) return;
        const blocks = tier.sections.map((s) => ({
          section: stringToHex(s.name.trim(), { size: 16 }),
          firstRow: 1,
          rows: Number(s.rows),
          firstSeat: 1,
          seatsPerRow: Number(s.seatsPerRow),
          letteredRows: s.lettered,
        }));
        await send(t("create.tx.seats", { tier: tier.name.trim() }), { address: ticket, abi: chainpassEventAbi, functionName: "setSeatMap", args: [BigInt(i + 1), blocks] });
      };
      if (calendar && plan) {
        for (const [i, tier] of draft.tiers.entries()) await setSeats(tier, i);
        // Every tier on the one calendar, named after tier 1.
        const { rule } = plan;
        const params = {
          firstDay: rule.firstDay,
          dayCount: rule.dayCount,
          utcOffsetMinutes: rule.utcOffsetMinutes,
          slotMinutes: rule.slotMinutes,
          saleLeadMinutes: rule.saleLeadMinutes,
          capacity: rule.capacity,
          runs: rule.runs,
          closedDays: rule.closedDays,
        };
        const tierIds = draft.tiers.map((_, i) => BigInt(i + 1));
        await send(t(`create.tx.calendar.${draft.format === "run" ? "run" : "season"}`, { count: plan.slots }), { address: ticket, abi: chainpassEventAbi, functionName: "addCalendar", args: [params, tierIds] });
        await setRefunds();
        for (const [i, tier] of draft.tiers.entries()) await setOptions(tier, i);
      } else {
        await setRefunds();
        for (const [i, tier] of draft.tiers.entries()) {
          await setOptions(tier, i);
          await setSeats(tier, i);
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
