// The last step, review & create: what will be created, in words (a season's or a run's schedule
// as its preview), then the creation's progress (the metadata upload and each transaction). The
// create button is the wizard's, beside Back.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { formatAmount, formatDateTime, formatDateTimeRange, type Currency } from "../../shared/format.js";
import type { TxStep } from "../../shared/tx.js";
import { TxStatus } from "../../shared/ui.js";
import { localToUnix, parseAmount, percentToBps, symbolFrom } from "../util.js";
import { isSeated, refundSecondsBefore, seatCount, type EventDraft, type TierDraft } from "./draft.js";
import { eventTimesOf, planSchedule } from "./schedule.js";
import { SchedulePreview } from "./ScheduleStep.js";
import type { MetadataState } from "./useCreateEvent.js";
import type { Problems } from "./validate.js";

export interface CreateProgress {
  metadataState: MetadataState;
  metadataError: string | null;
  steps: TxStep[];
  created: string | null;
  running: boolean;
}

export function ReviewStep({
  draft,
  currency,
  payout,
  feePercent,
  feeNote,
  problems,
  progress,
}: {
  draft: EventDraft;
  currency: Currency;
  payout: string;
  feePercent: string;
  /** Said under the fee while it is unknown: being read for Create, or its reads failing. */
  feeNote?: string;
  problems: Problems;
  progress: CreateProgress;
}) {
  const { t, i18n } = useTranslation("organizer");
  const { start, end } = eventTimesOf(draft);
  const plan = planSchedule(draft);
  const { metadataState, metadataError, created, running } = progress;
  return (
    <>
      <dl className="review" data-testid="review">
        <dt>{t("create.name")}</dt>
        <dd>
          {draft.name || "—"} ({draft.symbol || symbolFrom(draft.name)})
        </dd>
        <dt>{t("create.when")}</dt>
        <dd data-testid="review-when">{start && end ? formatDateTimeRange(start, end, i18n.language, draft.timezone) : "—"}</dd>
        {plan && (
          <>
            <dt>{t(`create.formats.${draft.format}`)}</dt>
            <dd data-testid="review-schedule">
              <SchedulePreview plan={plan} format={draft.format} zone={draft.timezone} />
            </dd>
          </>
        )}
        <dt>{t("create.venueName")}</dt>
        <dd>{[draft.venueName, draft.venueAddress].filter((x) => x.trim()).join(", ") || "—"}</dd>
        <dt>{t("create.steps.tickets")}</dt>
        <dd>
          <ul data-testid="review-tiers">
            {draft.tiers.map((tier, i) => (
              <TierSummary key={tier.key} draft={draft} tier={tier} index={i} currency={currency} eventStart={start} eventEnd={end} />
            ))}
          </ul>
        </dd>
        <dt>{t("create.rules")}</dt>
        <dd data-testid="review-rules">
          {t("create.rulesSummary", {
            currency: currency.symbol,
            royalty: draft.royalty || "0",
            cap: percentToBps(draft.resaleCap) === 0 ? t("create.noResale") : `${draft.resaleCap}%`,
            policy: t(`policy.${draft.policy}`),
          })}
          {draft.policy === "capped" && <>; {t("create.reviewGifts", { count: Number(draft.gifts) })}</>}
        </dd>
        <dt>{t("create.refunds")}</dt>
        <dd data-testid="review-refunds">
          <RefundSummary draft={draft} start={draft.format === "single" ? start : undefined} />
        </dd>
        <dt>{t("create.payout")}</dt>
        <dd>
          <code className="address break">{payout || "—"}</code>
        </dd>
        <dt>{t("create.fee")}</dt>
        <dd data-testid="review-fee">{feePercent}</dd>
      </dl>
      {feeNote && (
        <p className="notice" role="status" data-testid="review-fee-note">
          {feeNote}
        </p>
      )}
      {problems["review-fee"] && (
        <p className="notice error" role="alert" id="review-fee-problem">
          {problems["review-fee"]}
        </p>
      )}
      <ol className="tx-steps" aria-live="polite">
        {metadataState !== "idle" && (
          <li className={`tx-step ${metadataState === "done" ? "confirmed" : metadataState === "failed" ? "failed" : "pending"}`} data-state={metadataState}>
            {t(`create.metadata.${metadataState}`, { message: metadataError ?? "" })}
          </li>
        )}
      </ol>
      {metadataState !== "failed" && metadataError && <p className="notice error">{metadataError}</p>}
      <TxStatus steps={progress.steps} />
      {created && !running && (
        <p className="notice">
          <Link to={`/organizer/${created.toLowerCase()}`}>{t("create.openConsole")}</Link>
        </p>
      )}
    </>
  );
}

/** One tier as it will be created: price × supply (a season's: places shared per slot; a run's seated: seats per performance), then what its options add. */
function TierSummary({ draft, tier, index, currency, eventStart, eventEnd }: { draft: EventDraft; tier: TierDraft; index: number; currency: Currency; eventStart?: number; eventEnd?: number }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const zone = draft.timezone;
  const calendar = draft.format !== "single";
  const seated = isSeated(draft, tier);
  const toUnix = (value: string) => localToUnix(value, zone);
  const price = parseAmount(tier.price, currency);
  const early = parseAmount(tier.earlyPrice, currency);
  const earlyUntil = toUnix(tier.earlyUntil);
  const entryStart = calendar ? undefined : toUnix(tier.entryStart);
  const entryEnd = calendar ? undefined : toUnix(tier.entryEnd);
  const presale = toUnix(tier.presaleStart);
  const saleStart = toUnix(tier.saleStart);
  // An empty sale end is the event's start (what createEvent gets); a calendar's types sell until its end.
  const saleEnd = calendar ? eventEnd : tier.saleEnd ? toUnix(tier.saleEnd) : eventStart;
  const extras = [
    saleStart && t("create.reviewSaleOpens", { start: formatDateTime(saleStart, locale, zone) }),
    saleEnd && t("create.reviewSaleCloses", { end: formatDateTime(saleEnd, locale, zone) }),
    tier.maxPerWallet && t("create.reviewMax", { n: tier.maxPerWallet }),
    early !== undefined && earlyUntil && t("create.reviewEarly", { price: formatAmount(early, currency, locale), until: formatDateTime(earlyUntil, locale, zone) }),
    entryStart && entryEnd && t("create.reviewEntry", { slot: formatDateTimeRange(entryStart, entryEnd, locale, zone) }),
    presale && t("create.reviewPresale", { start: formatDateTime(presale, locale, zone) }),
    seated && draft.format === "single" && t("create.seatCount", { seats: seatCount(tier), supply: tier.supply || 0 }),
  ].filter(Boolean);
  // What the price multiplies: the tickets; a season's slot places; a run's seats at each performance.
  const count =
    draft.format === "season"
      ? t("create.reviewSeasonPlaces")
      : seated && draft.format === "run"
        ? t("create.seatsPerPerformance", { count: seatCount(tier) })
        : draft.format === "run"
          ? t("create.reviewOverRun", { count: Number(tier.supply) || 0 })
          : tier.supply || 0;
  return (
    <li>
      {tier.name || t("create.tierN", { n: index + 1 })}: {price !== undefined ? formatAmount(price, currency, locale) : "—"} × {count}
      {extras.length > 0 && <span className="muted small"> ({extras.join("; ")})</span>}
    </li>
  );
}

/** The refund policy in words: each step's share until its deadline (at the venue, from the event's start), none after. */
function RefundSummary({ draft, start }: { draft: EventDraft; start?: number }) {
  const { t, i18n } = useTranslation("organizer");
  if (draft.refunds.length === 0) return <>{t("create.reviewNoReturns")}</>;
  const steps = draft.refunds.map((step) => {
    const share = percentToBps(step.share);
    const seconds = refundSecondsBefore(step);
    const amount = share === 10_000 ? t("create.reviewFullRefund") : t("create.reviewRefundShare", { percent: step.share.trim() });
    const before = seconds === 0 ? t("create.reviewUntilStart") : t("create.reviewUntilBefore", { before: t(`create.duration.${step.unit}`, { count: Number(step.before) }) });
    const date = start !== undefined && seconds !== undefined && start > seconds ? ` (${formatDateTime(start - seconds, i18n.language, draft.timezone)})` : "";
    return t("create.reviewRefundStep", { share: amount, until: before + date });
  });
  const timed = draft.format !== "single" || draft.tiers.some((tier) => tier.entryStart);
  return (
    <>
      {t("create.reviewRefunds", { steps: steps.join(t("create.reviewRefundJoin")) })}
      {timed && <> {t("create.refundTimed")}</>}
    </>
  );
}
