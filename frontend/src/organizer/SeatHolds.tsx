// Seats: per seated tier, the fan's seat map (fan/SeatMap.tsx) with sold, held and free seats told
// apart by mark as well as colour. The organizer selects seats, or a whole block by its heading,
// and holds the free ones back from sale (holdSeats), releases held ones (releaseSeats), or gives
// held ones to an address as free tickets (compSeats: recorded price 0). A run's tier (seated, on a
// calendar) is held per performance: one is chosen first, and its seats are named
// `slot × 1,000,000,000 + seat` on chain.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { ruleOf, slotsOfDay, TOKENS_PER_SLOT, type SlotWindow } from "../../../lib/calendar.js";
import { type EventCalendar, type EventPageTier } from "../../../lib/index/index.js";
import { PER_TRANSACTION } from "../../../lib/transaction-gas.js";
import { SeatMap } from "../fan/SeatMap.js";
import { toSeatBlocks } from "../fan/util.js";
import "../fan/fan.css";
import { useSeatStates } from "../fan/seat-states.js";
import { calendarOfTier } from "../fan/slots.js";
import { formatDateTime, nowSeconds } from "../shared/format.js";
import { RecipientInput, RecipientNote, useRecipient } from "../shared/recipient-input.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, Loading, TxStatus } from "../shared/ui.js";
import type { ConsoleEvent } from "./types.js";

export function SeatHolds({ ev, calendars }: { ev: ConsoleEvent; calendars: EventCalendar[] }) {
  const { t } = useTranslation("organizer");
  const seated = ev.info.tiers.filter((tier) => tier.seated);
  // The contract takes holds, releases and comps only while the event is live.
  const closed = ev.info.cancelled || nowSeconds() >= Number(ev.info.end);
  return (
    <div>
      <h2>{t("holds.title")}</h2>
      <p className="muted">{t("holds.intro")}</p>
      {closed && <p className="notice">{t("holds.closed")}</p>}
      {seated.length === 0 ? (
        <p className="notice" data-testid="holds-none">
          {t("holds.none")}
        </p>
      ) : (
        seated.map((tier) => {
          const calendar = calendarOfTier(calendars, tier.tierId);
          return calendar ? (
            <RunHolds key={tier.id} ev={ev} tier={tier} calendar={calendar} closed={closed} />
          ) : (
            <TierHolds key={tier.id} ev={ev} tier={tier} closed={closed} />
          );
        })
      )}
    </div>
  );
}

/**
 * A run's tier: its performances still to come (every slot the calendar offers), one chosen, and
 * that performance's seats held, released or given away.
 */
function RunHolds({ ev, tier, calendar, closed }: { ev: ConsoleEvent; tier: EventPageTier; calendar: EventCalendar; closed: boolean }) {
  const { t, i18n } = useTranslation("organizer");
  const upcoming = useMemo(() => {
    const rule = ruleOf(calendar);
    const now = nowSeconds();
    const all: SlotWindow[] = [];
    for (let day = 0; day < rule.dayCount; day++) all.push(...slotsOfDay(rule, day).filter((w) => w.start > now));
    return all;
  }, [calendar]);
  const [slot, setSlot] = useState<number | undefined>(undefined);
  const chosen = slot ?? upcoming[0]?.slot;
  if (chosen === undefined) return null;
  return (
    <div data-testid={`run-holds-${tier.tierId}`}>
      <label>
        {t("holds.performance", { tier: tier.name })}
        <select value={chosen} onChange={(e) => setSlot(Number(e.target.value))} data-testid={`holds-performance-${tier.tierId}`}>
          {upcoming.map((w) => (
            <option key={w.slot} value={w.slot}>
              {formatDateTime(w.start, i18n.language, ev.zone)}
            </option>
          ))}
        </select>
      </label>
      <TierHolds key={chosen} ev={ev} tier={tier} closed={closed} performance={{ calendar, slot: chosen }} />
    </div>
  );
}


function TierHolds({ ev, tier, closed, performance }: { ev: ConsoleEvent; tier: EventPageTier; closed: boolean; performance?: { calendar: EventCalendar; slot: number } }) {
  const { t } = useTranslation("organizer");
  const states = useSeatStates(tier, performance);
  // On chain a run's seat carries its performance: slot * TOKENS_PER_SLOT + seat.
  const base = performance ? BigInt(performance.slot) * TOKENS_PER_SLOT : 0n;
  const ascending = (seats: number[]) => [...seats].sort((a, b) => a - b).map((seat) => base + BigInt(seat));
  const seatBlocks = useMemo(() => toSeatBlocks(tier.seatBlocks), [tier.seatBlocks]);
  const tx = useTransactions({ currency: ev.currency, zone: ev.zone });
  const [selected, setSelected] = useState<number[]>([]);
  const [input, setInput] = useState("");
  // A refusal of the address shows once the organizer tries to give (not while it is half typed).
  const [tried, setTried] = useState(false);
  const recipient = useRecipient(input);
  const missing = tried && recipient.status === "empty";
  const invalid = (tried && recipient.status === "refused") || missing;

  const sold = states.data?.sold ?? new Set<number>();
  const held = states.data?.held ?? new Set<number>();
  // A seat sold since it was selected drops out of the selection.
  const chosen = selected.filter((seat) => !sold.has(seat));
  const chosenFree = chosen.filter((seat) => !held.has(seat));
  const chosenHeld = chosen.filter((seat) => held.has(seat));
  const id = tier.tierId;
  const contract = { address: ev.address, abi: chainpassEventAbi } as const;
  const disabled = closed || tx.busy || !states.data;

  const toggle = (seat: number) => setSelected((all) => (all.includes(seat) ? all.filter((s) => s !== seat) : [...all, seat]));
  /** A block's heading: its seats selected, or unselected when they all were. */
  const selectBlock = (seats: number[]) =>
    setSelected((all) => (seats.every((seat) => all.includes(seat)) ? all.filter((s) => !seats.includes(s)) : [...new Set([...all, ...seats])]));

  /** `functionName` for `seats` (ascending), in as many transactions as their number needs; `more` follows the seats in its arguments. */
  async function run(label: string, functionName: "compSeats" | "holdSeats" | "releaseSeats", seats: bigint[], more: readonly unknown[] = []) {
    try {
      await tx.sendEach(label, seats, PER_TRANSACTION[functionName], (slice) => ({ ...contract, functionName, args: [BigInt(id), slice, ...more] }));
      setSelected([]);
      return true;
    } catch (e) {
      if (!(e instanceof TxFailed)) throw e;
      return false;
    }
  }

  async function give() {
    setTried(true);
    // Only an address typed, or a name resolved (and shown) for the text as it is now.
    if (recipient.status !== "resolved" || chosenHeld.length === 0) return;
    const { address, name } = recipient;
    const label = t("holds.txGive", { count: chosenHeld.length, tier: tier.name, address: name ?? address });
    if (await run(label, "compSeats", ascending(chosenHeld), [address])) {
      setInput("");
      setTried(false);
    }
  }

  return (
    <section className="card holds-tier" data-testid={`holds-${id}`} aria-labelledby={`holds-title-${id}`}>
      <div className="spread">
        <h3 id={`holds-title-${id}`}>{tier.name}</h3>
        <span className="badge" data-testid={`held-count-${id}`} data-count={states.data ? held.size : undefined}>
          {t("holds.heldCount", { n: states.data ? held.size : "…" })}
        </span>
      </div>
      {states.isLoading ? (
        <Loading />
      ) : states.error ? (
        <ErrorState error={states.error} onRetry={() => void states.refetch()} />
      ) : (
        <>
          <p className="small muted">{t("holds.selectHint")}</p>
          <SeatMap blocks={tier.seatBlocks} seatBlocks={seatBlocks} taken={sold} held={held} selected={chosen} onToggle={toggle} onSelectBlock={selectBlock} maxSelected={Infinity} />
          <p data-testid={`holds-selection-${id}`} aria-live="polite">
            {chosen.length === 0 ? t("holds.noneSelected") : t("holds.selection", { free: chosenFree.length, held: chosenHeld.length })}
          </p>
          <div className="row">
            <button
              type="button"
              className="primary"
              data-testid={`hold-${id}`}
              disabled={disabled || chosenFree.length === 0}
              onClick={() => void run(t("holds.txHold", { count: chosenFree.length, tier: tier.name }), "holdSeats", ascending(chosenFree))}
            >
              {t("holds.hold", { n: chosenFree.length })}
            </button>
            <button
              type="button"
              className="secondary"
              data-testid={`release-${id}`}
              disabled={disabled || chosenHeld.length === 0}
              onClick={() => void run(t("holds.txRelease", { count: chosenHeld.length, tier: tier.name }), "releaseSeats", ascending(chosenHeld))}
            >
              {t("holds.release", { n: chosenHeld.length })}
            </button>
            <button type="button" className="link" data-testid={`clear-${id}`} disabled={chosen.length === 0} onClick={() => setSelected([])}>
              {t("holds.clear")}
            </button>
          </div>
          <form
            className="holds-give"
            onSubmit={(e) => {
              e.preventDefault();
              void give();
            }}
          >
            <h4>{t("holds.giveTitle")}</h4>
            <p className="small muted">{t("holds.giveHelp")}</p>
            <div className="row">
              <label className="grow">
                {t("holds.recipient")}
                <RecipientInput
                  testId={`comp-recipient-${id}`}
                  value={input}
                  onChange={(text) => {
                    setInput(text);
                    setTried(false);
                  }}
                  invalid={invalid}
                  describedBy={`comp-note-${id}`}
                />
              </label>
              <button type="submit" className="secondary" data-testid={`give-${id}`} disabled={disabled || chosenHeld.length === 0 || recipient.status === "looking-up"}>
                {t("holds.give", { n: chosenHeld.length })}
              </button>
            </div>
            {missing ? (
              <p id={`comp-note-${id}`} className="small bad-text" role="alert" data-testid={`comp-note-${id}`} data-state="empty">
                {t("holds.recipientMissing")}
              </p>
            ) : (
              (invalid || recipient.status !== "refused") && <RecipientNote state={recipient} testId={`comp-note-${id}`} id={`comp-note-${id}`} />
            )}
          </form>
        </>
      )}
      <TxStatus steps={tx.steps} />
    </section>
  );
}
