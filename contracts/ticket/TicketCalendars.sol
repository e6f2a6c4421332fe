// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketSettings} from "../interfaces/IEventTicketSettings.sol";
import {CalendarFault, CalendarParams} from "../interfaces/IEventTicketTypes.sol";
import {SlotCalendar} from "../libraries/SlotCalendar.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Season timed entry: calendars of slots described by a rule, whose capacity per slot is
/// shared by every tier (ticket type) that sells them.
/// @dev A slot's tickets carry the slot in their id (`slot * TOKENS_PER_SLOT + ...`), so nothing is
/// stored per slot but its bookings (16 slots a word), and nothing at all until it sells.
abstract contract TicketCalendars is TicketBase, IEventTicketSettings {
    /// @inheritdoc IEventTicketSettings
    function addCalendar(CalendarParams calldata params, uint256[] calldata tierIds)
        external
        onlyRole(ORGANIZER_ROLE)
        returns (uint256 calendarId)
    {
        _requireLive();
        // Named after its first tier: a tier sells one calendar only, so the id is unique without
        // a counter to store.
        if (tierIds.length == 0) revert InvalidCalendar(0, CalendarFault.NoTiers, 0);
        calendarId = tierIds[0];
        (uint256 word, bool ok, CalendarFault fault, uint256 at) = SlotCalendar.pack(params);
        if (!ok) revert InvalidCalendar(calendarId, fault, at);
        // A tier joins before it sells, and sells one calendar's slots only.
        for (uint256 i; i < tierIds.length; ++i) {
            uint256 tierId = tierIds[i];
            _requireTier(tierId);
            TierState storage t = _tiers[tierId];
            if (t.sold != 0 || t.calendar != 0) revert InvalidCalendar(calendarId, CalendarFault.TierNotFree, tierId);
            t.calendar = uint8(calendarId);
        }
        // Closed from the start: nothing is booked yet, so no day needs checking.
        uint16[] calldata closed = params.closedDays;
        for (uint256 i; i < closed.length; ++i) {
            uint256 day = closed[i];
            if (day >= params.dayCount) revert InvalidCalendar(calendarId, CalendarFault.ClosedDay, i);
            _closedDays[calendarId << 32 | day >> 8] |= 1 << (day & 0xff);
        }
        if (closed.length != 0) word |= SlotCalendar.CLOSED_DAYS;
        _calendars[calendarId] = word;
        emit CalendarAdded(calendarId, params, tierIds);
    }

    /// @inheritdoc IEventTicketSettings
    function setDaysClosed(uint256 calendarId, uint256[] calldata dayIndexes, bool closed) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        uint256 word = _calendar(calendarId);
        uint256 dayCount = (word >> 24) & 0xffff;
        uint256 perDay = SlotCalendar.slotsPerDay(word);
        for (uint256 i; i < dayIndexes.length; ++i) {
            uint256 day = dayIndexes[i];
            if (day >= dayCount) revert SlotNotOffered(calendarId, 1 + day * perDay);
            if (closed) _requireNoBookings(calendarId, day, perDay);
            uint256 key = calendarId << 32 | day >> 8;
            uint256 bit = 1 << (day & 0xff);
            _closedDays[key] = closed ? _closedDays[key] | bit : _closedDays[key] & ~bit;
        }
        if (closed && word & SlotCalendar.CLOSED_DAYS == 0) _calendars[calendarId] = word | SlotCalendar.CLOSED_DAYS;
        emit CalendarDaysClosed(calendarId, dayIndexes, closed);
    }

    /// @dev Closing a day would strand its tickets: only a day with no place booked closes.
    function _requireNoBookings(uint256 calendarId, uint256 day, uint256 perDay) private view {
        uint256 first = 1 + day * perDay;
        for (uint256 slot = first; slot < first + perDay; ++slot) {
            if ((_slotBookings[calendarId << 32 | slot >> 4] >> ((slot & 0xf) * 16)) & 0xffff != 0) {
                revert DayHasBookings(calendarId, day);
            }
        }
    }
}
