// Step 3, the rules: who is paid, the resale royalty and price cap, the transfer policy (Capped by
// default) with its free gifts, the refund policy (no returns by default, or up to four steps
// "until N days or hours before the start, refund X %"), and the platform's fee that creating the
// event fixes.
import { useTranslation } from "react-i18next";

import { MAX_ROYALTY_BPS, POLICIES, type PolicyChoice } from "../util.js";
import { MAX_REFUND_STEPS, newRefundStep, REFUND_UNITS, refundField, type EventDraft, type PatchDraft, type RefundStepDraft, type RefundUnit } from "./draft.js";
import { Field } from "./Field.js";
import type { Problems } from "./validate.js";

export function RulesStep({
  draft,
  patch,
  account,
  feeNote,
  problems,
}: {
  draft: EventDraft;
  patch: PatchDraft;
  /** The connected wallet, the payout address by default. */
  account?: string;
  /** What the platform's fee is and means (or why it could not be read). */
  feeNote: string;
  problems: Problems;
}) {
  const { t } = useTranslation("organizer");
  return (
    <>
      <div className="form-grid">
        <Field id="payout" label={t("create.payout")} help={t("create.payoutHelp")} problems={problems}>
          <input data-testid="payout" value={draft.payout} placeholder={account} onChange={(e) => patch({ payout: e.target.value.trim() })} spellCheck={false} />
        </Field>
        <Field id="royalty" label={t("create.royalty")} help={t("create.royaltyHelp", { max: MAX_ROYALTY_BPS / 100 })} problems={problems}>
          <input data-testid="royalty" inputMode="decimal" value={draft.royalty} onChange={(e) => patch({ royalty: e.target.value })} />
        </Field>
        <Field id="resale-cap" label={t("create.resaleCap")} help={t("create.resaleCapHelp")} problems={problems}>
          <input data-testid="resale-cap" inputMode="decimal" value={draft.resaleCap} onChange={(e) => patch({ resaleCap: e.target.value })} />
        </Field>
        <Field id="policy" label={t("create.policy")} help={t(`policy.${draft.policy}Help`)} problems={problems}>
          <select data-testid="policy" value={draft.policy} onChange={(e) => patch({ policy: e.target.value as PolicyChoice })}>
            {POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`policy.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        {draft.policy === "capped" && (
          <Field id="gifts" label={t("create.gifts")} problems={problems}>
            <input data-testid="gifts" inputMode="numeric" value={draft.gifts} onChange={(e) => patch({ gifts: e.target.value })} />
          </Field>
        )}
      </div>
      <RefundPolicyEditor draft={draft} patch={patch} problems={problems} />
      <p className="muted small" data-testid="platform-fee">
        {feeNote}
      </p>
    </>
  );
}

/**
 * The refund policy: "No returns" (tickets are refunded only if the event is cancelled) or up to
 * four rows, each "until N days or hours before the start, refund X %", the earliest first.
 */
function RefundPolicyEditor({ draft, patch, problems }: { draft: EventDraft; patch: PatchDraft; problems: Problems }) {
  const { t } = useTranslation("organizer");
  const steps = draft.refunds;
  const patchStep = (key: number, change: Partial<RefundStepDraft>) => patch((d) => ({ refunds: d.refunds.map((s) => (s.key === key ? { ...s, ...change } : s)) }));
  const timed = draft.tiers.some((tier) => tier.entryStart);
  return (
    <fieldset className="refund-policy" data-testid="refund-policy-editor">
      <legend>{t("create.refunds")}</legend>
      <div className="form-grid fill">
        <Field id="refund-policy" label={t("create.refundChoice")} help={steps.length ? t("create.refundStepsHelp") : t("create.noReturnsHelp")} problems={problems}>
          <select data-testid="refund-policy" value={steps.length ? "steps" : "none"} onChange={(e) => patch({ refunds: e.target.value === "steps" ? [newRefundStep()] : [] })}>
            <option value="none">{t("create.noReturns")}</option>
            <option value="steps">{t("create.refundSteps")}</option>
          </select>
        </Field>
      </div>
      {steps.map((step, i) => (
        <div key={step.key} className="form-grid seat-section refund-step" data-testid={`refund-step-${i}`}>
          <Field id={refundField("before", i)} label={t("create.refundUntil")} problems={problems}>
            <input data-testid={refundField("before", i)} inputMode="numeric" value={step.before} onChange={(e) => patchStep(step.key, { before: e.target.value })} />
          </Field>
          <Field id={refundField("unit", i)} label={t("create.refundUnit")} problems={problems}>
            <select data-testid={refundField("unit", i)} value={step.unit} onChange={(e) => patchStep(step.key, { unit: e.target.value as RefundUnit })}>
              {REFUND_UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {t(`create.refundUnits.${unit}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id={refundField("share", i)} label={t("create.refundShare")} problems={problems}>
            <input data-testid={refundField("share", i)} inputMode="decimal" value={step.share} onChange={(e) => patchStep(step.key, { share: e.target.value })} />
          </Field>
          {steps.length > 1 && (
            <button type="button" className="link danger-link" data-testid={`remove-refund-step-${i}`} onClick={() => patch((d) => ({ refunds: d.refunds.filter((s) => s.key !== step.key) }))}>
              {t("create.removeRefundStep")}
            </button>
          )}
        </div>
      ))}
      {steps.length > 0 && (
        <p className="muted small">
          {t("create.refundAfter")}
          {timed && <> {t("create.refundTimed")}</>}
        </p>
      )}
      {steps.length > 0 && steps.length < MAX_REFUND_STEPS && (
        <button type="button" className="secondary" data-testid="add-refund-step" onClick={() => patch((d) => ({ refunds: [...d.refunds, newRefundStep()] }))}>
          {t("create.addRefundStep")}
        </button>
      )}
    </fieldset>
  );
}
