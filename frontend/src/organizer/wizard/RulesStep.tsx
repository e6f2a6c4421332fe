// Step 3, the rules: who is paid, the resale royalty and price cap, the transfer policy (Capped by
// default) with its free gifts, and the platform's fee that creating the event fixes.
import { useTranslation } from "react-i18next";

import { MAX_ROYALTY_BPS, POLICIES, type PolicyChoice } from "../util.js";
import type { EventDraft, PatchDraft } from "./draft.js";
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
      <p className="muted small" data-testid="platform-fee">
        {feeNote}
      </p>
    </>
  );
}
