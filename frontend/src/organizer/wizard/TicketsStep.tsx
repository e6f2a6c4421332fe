// The tickets: the currency, then each ticket type (tier) with its price, supply and sale window,
// and in its options an early price, a timed entry slot, a presale and a seat map. A season's
// types have no supply of their own (each slot's places, shared, are the limit) and a run's seated
// type sells its seat map at every performance; both sell until the event's end (each slot's sale
// closes before it starts) and take their entry window from the slot.
import { useTranslation } from "react-i18next";

import { network } from "../../wallet/network.js";
import type { CurrencyChoice } from "../util.js";
import { KINDS, newSection, newTier, sectionField, seatCount, tierField, type EventDraft, type EventFormat, type Kind, type PatchDraft, type SectionDraft, type TierDraft } from "./draft.js";
import { Field } from "./Field.js";
import type { Problems } from "./validate.js";

export function TicketsStep({
  draft,
  patch,
  currencySymbol,
  problems,
}: {
  draft: EventDraft;
  patch: PatchDraft;
  currencySymbol: string;
  problems: Problems;
}) {
  const { t } = useTranslation("organizer");
  const patchTier = (key: number, change: Partial<TierDraft>) => patch((d) => ({ tiers: d.tiers.map((x) => (x.key === key ? { ...x, ...change } : x)) }));
  return (
    <>
      <div className="form-grid fill">
        <Field id="currency" label={t("create.currency")} problems={problems}>
          <select data-testid="currency" value={draft.currency} onChange={(e) => patch({ currency: e.target.value as CurrencyChoice })}>
            <option value="eth">{t("create.currencyEth")}</option>
            {network.stablecoin && <option value="usdc">{network.stablecoin.symbol}</option>}
          </select>
        </Field>
      </div>
      {draft.format === "season" && (
        <p className="notice" data-testid="season-tickets-note">
          {t("create.seasonTiersNote", { capacity: draft.schedule.capacity || "…" })}
        </p>
      )}
      {draft.format === "run" && (
        <p className="notice" data-testid="run-tickets-note">
          {t("create.runTiersNote")}
        </p>
      )}
      {draft.tiers.map((tier, i) => (
        <TierEditor
          key={tier.key}
          index={i}
          format={draft.format}
          tier={tier}
          currencySymbol={currencySymbol}
          problems={problems}
          removable={draft.tiers.length > 1}
          onChange={(change) => patchTier(tier.key, change)}
          onRemove={() => patch((d) => ({ tiers: d.tiers.filter((x) => x.key !== tier.key) }))}
        />
      ))}
      <button type="button" className="secondary" data-testid="add-tier" onClick={() => {
          const tier = newTier();
          patch((d) => ({ tiers: [...d.tiers, tier] }));
        }}>
        {t("create.addTier")}
      </button>
    </>
  );
}

function TierEditor({
  index,
  format,
  tier,
  currencySymbol,
  problems,
  removable,
  onChange,
  onRemove,
}: {
  index: number;
  format: EventFormat;
  tier: TierDraft;
  currencySymbol: string;
  problems: Problems;
  removable: boolean;
  onChange: (change: Partial<TierDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation("organizer");
  const seats = seatCount(tier);
  const id = (field: string) => tierField(field, index);
  const patchSection = (j: number, change: Partial<SectionDraft>) => onChange({ sections: tier.sections.map((s, k) => (k === j ? { ...s, ...change } : s)) });
  const presetNames = KINDS.map((k) => t(`kinds.${k}`));
  const calendar = format !== "single";
  // A run's seated type sells its seat map at each performance: its seats are its supply.
  const perPerformance = format === "run" && tier.seated;
  const showSupply = format === "single" || (format === "run" && !tier.seated);
  return (
    <fieldset className="tier-editor" data-testid={`tier-${index}`}>
      <legend>{tier.name.trim() || t("create.tierN", { n: index + 1 })}</legend>
      <div className="form-grid">
        <Field id={id("kind")} label={t("create.kind")} problems={problems}>
          <select
            data-testid={`tier-kind-${index}`}
            value={tier.kind}
            onChange={(e) => {
              const kind = e.target.value as Kind;
              const change: Partial<TierDraft> = { kind };
              // A preset names the tier unless the organizer named it themselves.
              if (kind && (!tier.name.trim() || presetNames.includes(tier.name.trim()))) change.name = t(`kinds.${kind}`);
              if (kind === "group" && !tier.maxPerWallet) change.maxPerWallet = "10";
              onChange(change);
            }}
          >
            <option value="">{t("kinds.none")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("name")} label={t("create.tierName")} problems={problems}>
          <input data-testid={`tier-name-${index}`} value={tier.name} maxLength={100} onChange={(e) => onChange({ name: e.target.value })} />
        </Field>
        <Field id={id("price")} label={t("create.price", { currency: currencySymbol })} problems={problems}>
          <input data-testid={`tier-price-${index}`} inputMode="decimal" value={tier.price} onChange={(e) => onChange({ price: e.target.value })} />
        </Field>
        {showSupply && (
          <Field id={id("supply")} label={t(format === "run" ? "create.supplyRun" : "create.supply")} help={format === "run" ? t("create.supplyRunHelp") : undefined} problems={problems}>
            <input data-testid={`tier-supply-${index}`} inputMode="numeric" value={tier.supply} onChange={(e) => onChange({ supply: e.target.value })} />
          </Field>
        )}
        <Field id={id("max")} label={t("create.maxPerWallet")} problems={problems}>
          <input data-testid={`tier-max-${index}`} inputMode="numeric" value={tier.maxPerWallet} placeholder={t("create.unlimited")} onChange={(e) => onChange({ maxPerWallet: e.target.value })} />
        </Field>
        <Field id={id("sale-start")} label={t("create.saleStart")} help={t(calendar ? "create.saleStartCalendarHelp" : "create.saleStartHelp")} problems={problems}>
          <input type="datetime-local" data-testid={`tier-sale-start-${index}`} value={tier.saleStart} onChange={(e) => onChange({ saleStart: e.target.value })} />
        </Field>
        {!calendar && (
          <Field id={id("sale-end")} label={t("create.saleEnd")} help={t("create.saleEndHelp")} problems={problems}>
            <input type="datetime-local" data-testid={`tier-sale-end-${index}`} value={tier.saleEnd} onChange={(e) => onChange({ saleEnd: e.target.value })} />
          </Field>
        )}
      </div>
      <details className="tier-options">
        <summary>{t(format === "single" ? "create.options" : format === "run" ? "create.optionsRun" : "create.optionsSeason")}</summary>
        <div className="form-grid">
          <Field id={id("early-price")} label={t("create.earlyPrice", { currency: currencySymbol })} problems={problems}>
            <input data-testid={`tier-early-price-${index}`} inputMode="decimal" value={tier.earlyPrice} onChange={(e) => onChange({ earlyPrice: e.target.value })} />
          </Field>
          <Field id={id("early-until")} label={t("create.earlyUntil")} problems={problems}>
            <input type="datetime-local" data-testid={`tier-early-until-${index}`} value={tier.earlyUntil} onChange={(e) => onChange({ earlyUntil: e.target.value })} />
          </Field>
          {!calendar && (
            <>
              <Field id={id("entry-start")} label={t("create.entryStart")} problems={problems}>
                <input type="datetime-local" data-testid={`tier-entry-start-${index}`} value={tier.entryStart} onChange={(e) => onChange({ entryStart: e.target.value })} />
              </Field>
              <Field id={id("entry-end")} label={t("create.entryEnd")} problems={problems}>
                <input type="datetime-local" data-testid={`tier-entry-end-${index}`} value={tier.entryEnd} onChange={(e) => onChange({ entryEnd: e.target.value })} />
              </Field>
            </>
          )}
          <Field id={id("presale")} label={t("create.presaleStart")} help={t("create.presaleHelp")} problems={problems}>
            <input type="datetime-local" data-testid={`tier-presale-${index}`} value={tier.presaleStart} onChange={(e) => onChange({ presaleStart: e.target.value })} />
          </Field>
        </div>
        {format !== "season" && (
          <Field id={id("seated")} label={t("create.seated")} help={format === "run" ? t("create.seatedRunHelp") : undefined} problems={problems} checkbox>
            <input
              type="checkbox"
              data-testid={`tier-seated-${index}`}
              checked={tier.seated}
              onChange={(e) => onChange({ seated: e.target.checked, sections: e.target.checked && tier.sections.length === 0 ? [newSection()] : tier.sections })}
            />
          </Field>
        )}
        {tier.seated && format !== "season" && (
          <div className="seating">
            {tier.sections.map((s, j) => (
              <div key={j} className="form-grid seat-section">
                <Field id={sectionField("section", index, j)} label={t("create.section")} problems={problems}>
                  <input data-testid={`tier-${index}-section-${j}`} value={s.name} maxLength={16} onChange={(e) => patchSection(j, { name: e.target.value })} />
                </Field>
                <Field id={sectionField("rows", index, j)} label={t("create.rows")} problems={problems}>
                  <input data-testid={`tier-${index}-rows-${j}`} inputMode="numeric" value={s.rows} onChange={(e) => patchSection(j, { rows: e.target.value })} />
                </Field>
                <Field id={sectionField("seats", index, j)} label={t("create.seatsPerRow")} problems={problems}>
                  <input data-testid={`tier-${index}-seats-${j}`} inputMode="numeric" value={s.seatsPerRow} onChange={(e) => patchSection(j, { seatsPerRow: e.target.value })} />
                </Field>
                <label className="inline">
                  <input type="checkbox" checked={s.lettered} onChange={(e) => patchSection(j, { lettered: e.target.checked })} />
                  {t("create.lettered")}
                </label>
                <button type="button" className="link" onClick={() => onChange({ sections: tier.sections.filter((_, k) => k !== j) })}>
                  {t("create.removeSection")}
                </button>
              </div>
            ))}
            <div className="row">
              <button type="button" className="secondary" onClick={() => onChange({ sections: [...tier.sections, newSection()] })}>
                {t("create.addSection")}
              </button>
              {perPerformance ? (
                <span data-testid={`tier-seat-count-${index}`} className={seats > 0 ? "badge ok" : "badge bad"}>
                  {t("create.seatsPerPerformance", { count: seats })}
                </span>
              ) : (
                <span data-testid={`tier-seat-count-${index}`} className={seats === Number(tier.supply) ? "badge ok" : "badge bad"}>
                  {t("create.seatCount", { seats, supply: tier.supply || 0 })}
                </span>
              )}
              {!perPerformance && seats > 0 && seats !== Number(tier.supply) && (
                <button type="button" className="link" onClick={() => onChange({ supply: String(seats) })}>
                  {t("create.useSeatCount")}
                </button>
              )}
            </div>
          </div>
        )}
      </details>
      {removable && (
        <button type="button" className="link danger-link" data-testid={`remove-tier-${index}`} onClick={onRemove}>
          {t("create.removeTier")}
        </button>
      )}
    </fieldset>
  );
}
