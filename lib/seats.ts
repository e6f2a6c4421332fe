// Seat labels from a tier's seat map (blocks of rows of seats): "Stalls, Row C, Seat 12". The
// same rule as TicketRenderer.seatLabel on chain; used by the gate, the index and the app.
import { hexToString, type Hex } from "viem";

export interface SeatBlock {
  /** bytes16, UTF-8, zero-padded. */
  section: Hex;
  firstRow: number;
  rows: number;
  firstSeat: number;
  seatsPerRow: number;
  letteredRows: boolean;
}

export interface Seat {
  section: string;
  row: string;
  number: number;
}

/** Row 1 is "A", 26 is "Z", 27 is "AA". */
export function rowLetters(n: number): string {
  let out = "";
  while (n > 0) {
    n -= 1;
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

/** The seat with 1-based id `seat` in the map, or undefined if the map has no such seat. */
export function seatOf(blocks: readonly SeatBlock[], seat: number): Seat | undefined {
  if (!Number.isInteger(seat) || seat < 1) return undefined;
  let index = seat - 1;
  for (const b of blocks) {
    const inBlock = b.rows * b.seatsPerRow;
    if (index < inBlock) {
      const row = b.firstRow + Math.floor(index / b.seatsPerRow);
      return {
        // Up to the first zero byte, as TicketRenderer reads it.
        section: hexToString(b.section, { size: 16 }).split("\0")[0],
        row: b.letteredRows ? rowLetters(row) : String(row),
        number: b.firstSeat + (index % b.seatsPerRow),
      };
    }
    index -= inBlock;
  }
  return undefined;
}

export function seatLabel(blocks: readonly SeatBlock[], seat: number): string | undefined {
  const s = seatOf(blocks, seat);
  return s && `${s.section}, Row ${s.row}, Seat ${s.number}`;
}
