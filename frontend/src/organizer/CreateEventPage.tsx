// Create-event wizard, one step at a time: 1 the event, (for a season of timed entry or a run of
// performances, its schedule,) 2 its tickets, 3 the rules, 4 review & create (organizer/wizard/). "Next" checks only the step on screen and, when something is wrong,
// stays there with a message beside each field; the draft lives here, so going back and forth keeps
// everything typed. Creating runs: event metadata to IPFS → TicketFactory.createEvent → the refund
// policy (if any), tier options and seat maps on the new event (a season or a run: seat maps, its
// calendar, then the refund policy and options), each step with its state.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAccount, useReadContract } from "wagmi";

import { ticketFactoryAbi } from "../../../lib/abi/index.js";
import { RequireSession } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import "./messages.js";
import "./organizer.css";
import { currencyFor } from "./util.js";
import { newDraft, stepsFor, type EventDraft, type PatchDraft, type Step } from "./wizard/draft.js";
import { EventStep } from "./wizard/EventStep.js";
import { ReviewStep } from "./wizard/ReviewStep.js";
import { RulesStep } from "./wizard/RulesStep.js";
import { ScheduleStep } from "./wizard/ScheduleStep.js";
import { StepIndicator } from "./wizard/StepIndicator.js";
import { TicketsStep } from "./wizard/TicketsStep.js";
import { useCreateEvent } from "./wizard/useCreateEvent.js";
import { CHECKS, payoutOf, type CheckContext } from "./wizard/validate.js";

export function CreateEventPage() {
  const { t } = useTranslation("organizer");
  return (
    <section>
      <p>
        <Link to="/organizer">{t("back")}</Link>
      </p>
      <h1>{t("create.title")}</h1>
      <RequireSession>
        <Wizard />
      </RequireSession>
    </section>
  );
}

/** How often a platform fee that could not be read is read again. */
const FEE_RETRY_MS = 5_000;

/** Where the focus goes once the step on screen has rendered: its heading, or its first field with a problem. */
type FocusRequest = { to: "heading" | "problem"; n: number };

function Wizard() {
  const { t, i18n } = useTranslation("organizer");
  const { address } = useAccount();
  const [draft, setDraft] = useState<EventDraft>(newDraft);
  // A season or a run has a schedule step after the event.
  const steps = stepsFor(draft.format);
  const patch: PatchDraft = (change) => setDraft((d) => ({ ...d, ...(typeof change === "function" ? change(d) : change) }));
  const [step, setStep] = useState<Step>("event");
  /** The furthest step reached: the indicator lets the organizer jump back to any step up to it. */
  const [reached, setReached] = useState(0);
  /** Steps whose problems are on screen: shown once "Next" checked the step, then kept current as the organizer types. */
  const [checked, setChecked] = useState<ReadonlySet<Step>>(() => new Set());
  const [focus, setFocus] = useState<FocusRequest | null>(null);

  const currency = currencyFor(draft.currency);
  // The platform's fee now, shown to the organizer and passed as the most they accept: a fee
  // raised before the transaction lands makes createEvent refuse (PlatformFeeAboveLimit).
  // A failed read is tried again on its own (a dropped request, the RPC down for a moment): the
  // organizer cannot create without the fee, and a reload would lose the draft.
  const platformFee = useReadContract({
    address: network.factory,
    abi: ticketFactoryAbi,
    functionName: "platformFeeBps",
    query: { refetchInterval: (query) => (query.state.status === "error" ? FEE_RETRY_MS : false) },
  });
  const feeBps = platformFee.data;
  /** Create was pressed before the fee was read: it is being read, and creation follows. */
  const [awaitingFee, setAwaitingFee] = useState(false);
  const feeUnavailable = feeBps === undefined && platformFee.isError;
  const currencyAllowed = useReadContract({ address: network.factory, abi: ticketFactoryAbi, functionName: "isCurrencyAllowed", args: [currency.address] });
  const feePercent = feeBps === undefined ? "…" : `${new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(feeBps / 100)}%`;
  const creation = useCreateEvent({ currency, zone: draft.timezone, account: address, onFeeRefused: () => void platformFee.refetch() });
  const locked = creation.running || creation.busy || awaitingFee;

  const context: CheckContext = { t, currency, account: address, currencyAllowed: currencyAllowed.data, feeBps };
  const hasProblems = (s: Step) => Object.keys(CHECKS[s](draft, context)).length > 0;
  const problems = checked.has(step) ? CHECKS[step](draft, context) : {};
  const at = steps.indexOf(step);

  useEffect(() => {
    if (!focus) return;
    const section = document.getElementById("wizard-step");
    if (focus.to === "heading") {
      section?.querySelector("h2")?.focus();
      return;
    }
    const invalid = [...(section?.querySelectorAll<HTMLElement>('[aria-invalid="true"]') ?? [])];
    // A tier's options fold away: open those holding a problem, so none stays out of sight.
    for (const field of invalid) {
      const details = field.closest("details");
      if (details) details.open = true;
    }
    invalid[0]?.focus();
  }, [focus]);

  const focusOn = (to: FocusRequest["to"]) => setFocus((f) => ({ to, n: (f?.n ?? 0) + 1 }));

  /** Shows `s` with its problems, the focus on the first. */
  function stopAt(s: Step, alsoChecked: Step[] = []) {
    setChecked((c) => new Set([...c, ...alsoChecked, s]));
    setStep(s);
    focusOn("problem");
  }

  /** Moves to `target`: back freely, forward only through complete steps (it stops at the first that is not). */
  function go(target: Step) {
    const to = steps.indexOf(target);
    const passing = steps.slice(at, Math.max(at, to));
    const blocked = passing.findIndex(hasProblems);
    if (blocked >= 0) return stopAt(passing[blocked]!, passing.slice(0, blocked));
    setChecked((c) => new Set([...c, ...passing]));
    setStep(target);
    setReached((r) => Math.max(r, to));
    focusOn("heading");
  }

  async function create() {
    const blocked = steps.find((s) => s !== "review" && hasProblems(s));
    if (blocked) return stopAt(blocked);
    // The fee is the one thing Create waits for rather than refuses: pressed while it is still
    // being read (or its last read failed), it reads it and goes on.
    let fee = feeBps;
    if (fee === undefined) {
      setAwaitingFee(true);
      fee = (await platformFee.refetch().finally(() => setAwaitingFee(false))).data;
    }
    if (fee === undefined) return stopAt("review");
    void creation.create(draft, fee);
  }

  const shownCount = Object.keys(problems).length;
  return (
    <div className="wizard">
      <StepIndicator steps={steps} current={step} reached={reached} locked={locked} onGo={go} />
      <section id="wizard-step" className="card wizard-step" aria-labelledby="wizard-step-title" data-step={step}>
        <h2 id="wizard-step-title" tabIndex={-1}>
          <span className="step-number">{at + 1}</span> {t(`create.steps.${step}`)}
        </h2>
        {step === "event" && <EventStep draft={draft} patch={patch} problems={problems} />}
        {step === "schedule" && <ScheduleStep draft={draft} patch={patch} problems={problems} />}
        {step === "tickets" && <TicketsStep draft={draft} patch={patch} currencySymbol={currency.symbol} problems={problems} />}
        {step === "rules" && (
          <RulesStep
            draft={draft}
            patch={patch}
            account={address}
            feeNote={feeUnavailable ? t("create.feeUnavailable") : t("create.feeNote", { fee: feePercent })}
            problems={problems}
          />
        )}
        {step === "review" && (
          <ReviewStep
            draft={draft}
            currency={currency}
            payout={payoutOf(draft, address)}
            feePercent={feePercent}
            feeNote={awaitingFee ? t("create.feeWaiting") : feeUnavailable ? t("create.feeUnavailable") : undefined}
            problems={problems}
            progress={creation}
          />
        )}
        {step !== "review" && shownCount > 0 && (
          <p className="notice error" data-testid="step-problems">
            {t("create.fixMarked", { count: shownCount })}
          </p>
        )}
        <div className="row step-nav">
          {at > 0 && (
            <button type="button" className="secondary" data-testid="wizard-back" disabled={locked} onClick={() => go(steps[at - 1]!)}>
              {t("create.back")}
            </button>
          )}
          {step === "review" ? (
            <button type="button" className="primary" data-testid="create-event" disabled={locked} onClick={() => void create()}>
              {creation.running ? t("create.creating") : t("create.create")}
            </button>
          ) : (
            <button type="button" className="primary" data-testid="wizard-next" onClick={() => go(steps[at + 1]!)}>
              {t("create.next")}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
