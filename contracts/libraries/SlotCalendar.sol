// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CalendarFault, CalendarParams, SlotRun} from "../interfaces/IEventTicketTypes.sol";

/// @title A season of timed-entry slots in one storage word, and where each slot falls.
/// @dev Word, from bit 0: firstDay (24 bits, days since 1970-01-01) | days (16) | capacity (16) |
/// slotMinutes (16) | saleLeadMinutes (16) | slotsPerDay (8) | run count (3) | closed-days flag (1) |
/// up to 6 runs of 25 bits each: start (12 bits: UTC minutes after the UTC midnight of the local
/// date, plus 840, so that every offset from -14 h to +14 h fits) | count (6) | weekdays (7).
/// Storing the start in UTC makes a slot's time one addition; the local date stays the day index,
/// so the weekday is that of `firstDay + day`. A fixed offset means a season across a daylight-
/// saving change keeps its UTC times (split it into two calendars to follow local time).
library SlotCalendar {
    uint256 internal constant MAX_RUNS = 6;
    uint256 internal constant MAX_SLOTS = type(uint16).max;
    uint256 private constant MINUTE_BIAS = 840;
    uint256 private constant RUNS_SHIFT = 100;
    uint256 private constant RUN_BITS = 25;
    uint256 internal constant CLOSED_DAYS = 1 << 99;

    /// @dev Packs `p` after checking it; returns the first rule it breaks and where (the run's
    /// index) instead of reverting, so the caller names the calendar too. `ok` is false on a fault.
    function pack(CalendarParams calldata p) internal pure returns (uint256 word, bool ok, CalendarFault fault, uint256 at) {
        uint256 runs = p.runs.length;
        if (p.dayCount == 0 || p.firstDay == 0 || p.firstDay >= 1 << 24) return (0, false, CalendarFault.NoDays, 0);
        if (p.slotMinutes == 0 || p.slotMinutes > 1440) return (0, false, CalendarFault.SlotLength, 0);
        if (p.utcOffsetMinutes < -840 || p.utcOffsetMinutes > 840) return (0, false, CalendarFault.UtcOffset, 0);
        if (runs == 0 || runs > MAX_RUNS) return (0, false, CalendarFault.RunCount, runs);
        uint256 perDay;
        for (uint256 i; i < runs; ++i) {
            SlotRun calldata r = p.runs[i];
            if (r.startMinute >= 1440) return (0, false, CalendarFault.RunStart, i);
            if (r.count == 0 || r.count > 63) return (0, false, CalendarFault.RunSlots, i);
            if (r.weekdays == 0 || r.weekdays > 127) return (0, false, CalendarFault.RunWeekdays, i);
            perDay += r.count;
            // Local minute - offset + bias: 0 .. 1439 + 840 + 840, within 12 bits.
            uint256 start = uint256(int256(uint256(r.startMinute)) - p.utcOffsetMinutes + int256(MINUTE_BIAS));
            word |= (start | uint256(r.count) << 12 | uint256(r.weekdays) << 18) << (RUNS_SHIFT + i * RUN_BITS);
        }
        if (perDay > type(uint8).max || perDay * p.dayCount > MAX_SLOTS) return (0, false, CalendarFault.TooManySlots, perDay);
        word |= uint256(p.firstDay) | uint256(p.dayCount) << 24 | uint256(p.capacity) << 40 | uint256(p.slotMinutes) << 56
            | uint256(p.saleLeadMinutes) << 72 | perDay << 88 | runs << 96;
        ok = true;
    }

    function capacity(uint256 word) internal pure returns (uint256) {
        return (word >> 40) & 0xffff;
    }

    function saleLead(uint256 word) internal pure returns (uint256) {
        return ((word >> 72) & 0xffff) * 1 minutes;
    }

    function slotsPerDay(uint256 word) internal pure returns (uint256) {
        return (word >> 88) & 0xff;
    }

    function slotCount(uint256 word) internal pure returns (uint256) {
        return slotsPerDay(word) * ((word >> 24) & 0xffff);
    }

    /// @dev Where `slot` falls: its day index and entry window. `offered` is false when the slot is
    /// outside the season or its run is not open on that day of the week (closed days are the
    /// caller's to check: they live outside the word).
    function window(uint256 word, uint256 slot) internal pure returns (bool offered, uint256 day, uint256 start, uint256 end) {
        uint256 perDay = slotsPerDay(word);
        if (slot == 0 || slot > perDay * ((word >> 24) & 0xffff)) return (false, 0, 0, 0);
        // Every quantity below is bounded by the word's fields (and start by pack's checks).
        unchecked {
        day = (slot - 1) / perDay;
        uint256 k = (slot - 1) % perDay;
        uint256 date = (word & 0xffffff) + day;
        uint256 length = ((word >> 56) & 0xffff) * 1 minutes;
        uint256 run = word >> RUNS_SHIFT;
        // The runs' counts add up to slotsPerDay, so k falls in one of them.
        while (k >= (run >> 12) & 0x3f) {
            k -= (run >> 12) & 0x3f;
            run >>= RUN_BITS;
        }
        // 1970-01-01 was a Thursday (4, counting from Sunday).
        offered = (run >> 18) & (1 << ((date + 4) % 7)) != 0;
        start = date * 1 days + (run & 0xfff) * 1 minutes + k * length - MINUTE_BIAS * 1 minutes;
        end = start + length;
        }
    }
}
