// The header row of the console's tables: the column names and, where rows carry buttons, a last
// column named for screen readers only. And their body cells: on phones each row becomes a card
// whose cells each show their column's name (organizer.css, .org-table).
import type { ReactNode, TdHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

export function TableHead({ columns, actions = false }: { columns: string[]; actions?: boolean }) {
  const { t } = useTranslation("organizer");
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="sr-only">{t("staff.actions")}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

/**
 * A body cell of an `.org-table` that names its column (`label`, the header's text): on phones the
 * name shows before the value. The value is wrapped so the name and it sit side by side, however
 * many elements the value has. A row's buttons stay in a plain `<td>`, with no name.
 */
export function LabelledCell({ label, children, ...td }: { label: string; children?: ReactNode } & Omit<TdHTMLAttributes<HTMLTableCellElement>, "children">) {
  return (
    <td data-label={label} {...td}>
      <div className="cell-value">{children}</div>
    </td>
  );
}
