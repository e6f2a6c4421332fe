// A seated tier's map: one grid per section and row, each seat a toggle button with its label.
import { useTranslation } from "react-i18next";

import type { SeatBlockResult } from "../../../lib/index/index.js";
import { rowLetters, seatLabel, type SeatBlock } from "../../../lib/seats.js";

export function SeatMap({
  blocks,
  seatBlocks,
  taken,
  selected,
  onToggle,
  maxSelected,
}: {
  blocks: SeatBlockResult[];
  seatBlocks: SeatBlock[];
  taken: Set<number>;
  selected: number[];
  onToggle: (seat: number) => void;
  maxSelected: number;
}) {
  const { t } = useTranslation("fan");
  const full = selected.length >= maxSelected;
  return (
    <div className="seat-map">
      <p className="stage small muted" aria-hidden>
        {t("seats.stage")}
      </p>
      {blocks.map((b) => (
        <fieldset key={b.index} className="seat-block">
          <legend>{b.section}</legend>
          <div className="seat-rows">
            {Array.from({ length: b.rows }, (_, r) => {
              const rowName = b.letteredRows ? rowLetters(b.firstRow + r) : String(b.firstRow + r);
              return (
                <div key={r} className="seat-row" role="group" aria-label={t("seats.row", { row: rowName })}>
                  <span className="row-name" aria-hidden>
                    {rowName}
                  </span>
                  {Array.from({ length: b.seatsPerRow }, (_, s) => {
                    const seat = b.firstSeatId + r * b.seatsPerRow + s;
                    const isTaken = taken.has(seat);
                    const isSelected = selected.includes(seat);
                    const label = seatLabel(seatBlocks, seat) ?? String(seat);
                    return (
                      <button
                        key={seat}
                        type="button"
                        className={`seat${isSelected ? " selected" : ""}${isTaken ? " taken" : ""}`}
                        aria-pressed={isSelected}
                        aria-label={isTaken ? t("seats.takenLabel", { label }) : label}
                        title={label}
                        disabled={isTaken || (!isSelected && full)}
                        data-testid={`seat-${seat}`}
                        onClick={() => onToggle(seat)}
                      >
                        {b.firstSeat + s}
                      </button>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      <p className="legend small">
        <span className="seat sample" aria-hidden /> {t("seats.free")} <span className="seat sample selected" aria-hidden /> {t("seats.selected")}{" "}
        <span className="seat sample taken" aria-hidden /> {t("seats.taken")}
      </p>
    </div>
  );
}
