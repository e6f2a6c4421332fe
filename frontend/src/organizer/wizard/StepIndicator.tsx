// Where the organizer is in the wizard: the steps in order, the current one marked for assistive
// technology (aria-current="step"). Steps already reached are buttons (going forward still passes
// each step's checks); the others are plain text.
import { useTranslation } from "react-i18next";

import type { Step } from "./draft.js";

/** `steps`: those of the event's format (stepsFor). */
export function StepIndicator({ steps, current, reached, locked, onGo }: { steps: readonly Step[]; current: Step; reached: number; locked: boolean; onGo: (step: Step) => void }) {
  const { t } = useTranslation("organizer");
  const at = steps.indexOf(current);
  return (
    <nav aria-label={t("create.progress")} className="wizard-progress">
      <ol>
        {steps.map((step, i) => {
          const done = i < at;
          const label = (
            <>
              <span className="step-number" aria-hidden>
                {done ? "✓" : i + 1}
              </span>
              <span>{t(`create.steps.${step}`)}</span>
              {done && <span className="sr-only">{t("create.stepDone")}</span>}
            </>
          );
          return (
            <li key={step} className={i === at ? "current" : done ? "done" : undefined} aria-current={i === at ? "step" : undefined} data-step={step}>
              {i !== at && i <= reached && !locked ? (
                <button type="button" onClick={() => onGo(step)}>
                  {label}
                </button>
              ) : (
                <span className="step-label">{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
