// One labelled control of the wizard, with its help and, once the step was checked, what is wrong
// with it. The control gets the field's id, aria-invalid and aria-describedby (help, then problem),
// so a screen reader reads the message with the field and "Next" can move the focus there.
import { cloneElement, type ReactElement, type ReactNode } from "react";

import type { Problems } from "./validate.js";

interface ControlProps {
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

export function Field({
  id,
  label,
  help,
  describedBy,
  problems,
  checkbox = false,
  children,
}: {
  /** The control's id, and the key of its problem. */
  id: string;
  label: ReactNode;
  help?: ReactNode;
  /** The id of help shown elsewhere (a note under the grid). */
  describedBy?: string;
  /** The step's problems as shown (empty until "Next" checked the step). */
  problems: Problems;
  /** A checkbox: the box before its label, on one line. */
  checkbox?: boolean;
  children: ReactElement<ControlProps>;
}) {
  const problem = problems[id];
  const helpId = help ? `${id}-help` : undefined;
  const problemId = problem ? `${id}-problem` : undefined;
  const control = cloneElement(children, {
    id,
    "aria-invalid": problem ? true : undefined,
    "aria-describedby": [helpId, describedBy, problemId].filter(Boolean).join(" ") || undefined,
  });
  return (
    <div className={problem ? "field invalid" : "field"}>
      {checkbox ? (
        <label className="inline">
          {control}
          {label}
        </label>
      ) : (
        <>
          <label htmlFor={id}>{label}</label>
          {control}
        </>
      )}
      {help && (
        <span id={helpId} className="muted small">
          {help}
        </span>
      )}
      {problem && (
        <span id={problemId} className="field-problem" data-testid={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}
