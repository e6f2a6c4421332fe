// A seated tier's map: one grid per section and row, each seat a toggle button with its label.
//
// On a phone a hall of 20 seats a row at a finger's size (40 px) is wider than the screen, so the
// map pans (scrolls) and says so, opens centred on the stage, and can show the whole hall at once
// ("Whole hall"): there seats are too small to pick, so tapping one zooms back in to it. Free,
// taken and selected seats differ by mark as well as by colour (number, ×, ✓).
//
// The organizer's console (organizer/SeatHolds.tsx) shows the same map with `held`: seats held
// back read ◆ and stay selectable (to release or give away), `taken` are the sold ones, and a
// block's heading selects its seats (`onSelectBlock`). Its words come from the organizer's
// catalogue (holds.map), so a fan's checkout carries none of them.
import { useCallback, useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";

import type { SeatBlockResult } from "../../../lib/index/index.js";
import { rowLetters, seatLabel, type SeatBlock } from "../../../lib/seats.js";

/** Smallest seat in the whole-hall view (px); below this the hall pans even there. */
const MIN_OVERVIEW_SEAT = 8;
/** A seat's gap and the row name's width (px), as fan.css has them. */
const GAP = 3;
const ROW_NAME = 26;

export function SeatMap({
  blocks,
  seatBlocks,
  taken,
  selected,
  onToggle,
  maxSelected,
  held,
  onSelectBlock,
}: {
  blocks: SeatBlockResult[];
  seatBlocks: SeatBlock[];
  taken: Set<number>;
  selected: number[];
  onToggle: (seat: number) => void;
  maxSelected: number;
  /** The organizer's map: seats held back (selectable; `taken` then holds the sold seats only). */
  held?: Set<number>;
  /** The organizer's map: a click on a block's heading passes the block's seats that are not sold. */
  onSelectBlock?: (seats: number[]) => void;
}) {
  const manage = held !== undefined;
  const { t } = useTranslation(manage ? "organizer" : "fan", { keyPrefix: manage ? "holds.map" : "seats" });
  const full = selected.length >= maxSelected;
  const scroller = useRef<HTMLDivElement>(null);
  const [overview, setOverview] = useState<number>(); // the seat size of the whole-hall view, when shown
  const [pans, setPans] = useState(false);
  const widest = Math.max(1, ...blocks.map((b) => b.seatsPerRow));

  // Whether the hall is wider than the screen; the first time, open centred on the stage.
  const centred = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      setPans(el.scrollWidth > el.clientWidth + 1);
      if (!centred.current && el.scrollWidth > el.clientWidth) {
        centred.current = true;
        el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
      }
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [overview]);

  const showWholeHall = () => {
    const width = scroller.current?.clientWidth ?? 320;
    setOverview(Math.max(MIN_OVERVIEW_SEAT, Math.floor((width - ROW_NAME - 24) / widest) - GAP));
  };
  /** In the whole-hall view a tap picks where to look, not a seat: back to full size, on that seat. */
  const zoomTo = useCallback((seat: number) => {
    setOverview(undefined);
    requestAnimationFrame(() => scroller.current?.querySelector(`[data-testid="seat-${seat}"]`)?.scrollIntoView({ block: "center", inline: "center" }));
  }, []);

  return (
    <div className="seat-map-frame">
      {(pans || overview !== undefined) && (
        <p className="seat-map-controls small">
          <span data-testid="seat-map-hint">{overview === undefined ? t("panHint") : t("overviewHint")}</span>
          <button type="button" className="secondary" data-testid="seat-map-zoom" onClick={() => (overview === undefined ? showWholeHall() : setOverview(undefined))}>
            {overview === undefined ? t("wholeHall") : t("zoomIn")}
          </button>
        </p>
      )}
      <div
        ref={scroller}
        className={`seat-map${overview !== undefined ? " overview" : ""}`}
        style={overview !== undefined ? ({ "--seat": `${overview}px` } as CSSProperties) : undefined}
        data-testid="seat-map"
      >
        <div className="seat-hall">
          <p className="stage small muted" data-testid="stage">
            {t("stage")}
          </p>
          {blocks.map((b) => (
            <fieldset key={b.index} className="seat-block">
              <legend>
                {onSelectBlock ? (
                  <button
                    type="button"
                    className="link seat-block-select"
                    data-testid={`seat-block-${b.index}`}
                    aria-label={t("selectBlock", { section: b.section })}
                    title={t("selectBlock", { section: b.section })}
                    onClick={() => onSelectBlock(Array.from({ length: b.rows * b.seatsPerRow }, (_, i) => b.firstSeatId + i).filter((seat) => !taken.has(seat)))}
                  >
                    {b.section}
                  </button>
                ) : (
                  b.section
                )}
              </legend>
              <div className="seat-rows">
                {Array.from({ length: b.rows }, (_, r) => {
                  const rowName = b.letteredRows ? rowLetters(b.firstRow + r) : String(b.firstRow + r);
                  return (
                    <div key={r} className="seat-row" role="group" aria-label={t("row", { row: rowName })}>
                      <span className="row-name" aria-hidden>
                        {rowName}
                      </span>
                      {Array.from({ length: b.seatsPerRow }, (_, s) => {
                        const seat = b.firstSeatId + r * b.seatsPerRow + s;
                        const isTaken = taken.has(seat);
                        const isHeld = !isTaken && !!held?.has(seat);
                        const isSelected = selected.includes(seat);
                        const label = seatLabel(seatBlocks, seat) ?? String(seat);
                        return (
                          <button
                            key={seat}
                            type="button"
                            className={`seat${isSelected ? " selected" : ""}${isTaken ? " taken" : ""}${isHeld ? " held" : ""}`}
                            aria-pressed={isSelected}
                            aria-label={isTaken ? t("takenLabel", { label }) : isHeld ? t("heldLabel", { label }) : label}
                            title={label}
                            disabled={overview === undefined && (isTaken || (!isSelected && full))}
                            data-testid={`seat-${seat}`}
                            // The organizer's map says held or not whether selected or not (aria-pressed says that).
                            data-state={isTaken ? "taken" : manage ? (isHeld ? "held" : "free") : isSelected ? "selected" : "free"}
                            onClick={() => (overview !== undefined ? zoomTo(seat) : onToggle(seat))}
                          >
                            {isTaken ? "×" : isSelected ? "✓" : isHeld ? "◆" : b.firstSeat + s}
                          </button>
                        );
                      })}
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
        </div>
      </div>
      <p className="legend small">
        <span className="seat sample" aria-hidden>
          1
        </span>{" "}
        {t("free")}{" "}
        <span className="seat sample selected" aria-hidden>
          ✓
        </span>{" "}
        {t("selected")}{" "}
        <span className="seat sample taken" aria-hidden>
          ×
        </span>{" "}
        {t("taken")}
        {manage && (
          <>
            {" "}
            <span className="seat sample held" aria-hidden>
              ◆
            </span>{" "}
            {t("held")}
          </>
        )}
      </p>
    </div>
  );
}
