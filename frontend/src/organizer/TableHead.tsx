// The header row of the console's tables: the column names and, where rows carry buttons, a last
// column named for screen readers only.
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
