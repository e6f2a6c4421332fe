// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";
import {CalendarParams, SeatBlock} from "./IEventTicketTypes.sol";

/// @title An event's standing settings: seat maps, the deny list, payout, metadata, check-in lead,
/// gift allowance, voucher revocation. Organizer only. Implemented by EventTicketTreasury (reached
/// through the manager's fallback, in the event's own storage), which has room for them.
interface IEventTicketSettings is IEventTicketErrors, IEventTicketEvents {
    /// @notice Makes a tier seated with the given seat map; its supply becomes the number of seats.
    /// @dev Requirements: organizer; no seat of the tier sold yet. Emits {SeatMapSet}.
    function setSeatMap(uint256 tierId, SeatBlock[] calldata blocks) external;

    /// @notice Holds seats back from sale (production, press, wheelchair spaces): they read as
    /// taken and cannot be bought until released or given away. On a run's tier (a seated tier on
    /// a calendar) a seat is held for one performance and named `slot * 1_000_000_000 + seat`, here
    /// and in {releaseSeats} and {compSeats}.
    /// @dev Requirements: organizer; event live; a seated tier ({NotSeatedTier}); each seat on the
    /// map ({InvalidSeat}: also a performance missing on a run's tier, or given on another tier)
    /// and free ({SeatTaken}); a run's performance offered ({SlotNotOffered}). Counts in the tier's
    /// `sold`. Emits {SeatsHeld}.
    function holdSeats(uint256 tierId, uint256[] calldata seats) external;

    /// @notice Puts held seats back on sale (one, or a whole block by listing its seats).
    /// @dev Requirements: organizer; event live; each seat held ({SeatNotHeld}). Emits {SeatsReleased}.
    function releaseSeats(uint256 tierId, uint256[] calldata seats) external;

    /// @notice Gives held seats to `recipient` as free tickets (comps): each is minted with a
    /// recorded price of 0, so it refunds nothing and cannot be resold for money.
    /// @dev Requirements: organizer; event live; each seat held ({SeatNotHeld}); recipient not
    /// denied. Emits {Transfer} per seat and {TicketsPurchased} with a total of 0, as a sale at a
    /// 100% discount does.
    /// @return firstTokenId The first seat's token id.
    function compSeats(uint256 tierId, uint256[] calldata seats, address recipient) external returns (uint256 firstTokenId);

    /// @notice Kills a voucher code for good. Emits {VoucherRevoked}.
    function revokeVoucher(bytes32 codeId) external;

    /// @notice How many hours before the start gates may begin checking tickets in (default 6).
    /// Emits {CheckInLeadChanged}.
    function setCheckInLead(uint8 hours_) external;

    /// @notice Changes where proceeds and royalties go. Emits {PayoutChanged}.
    function setPayout(address payout) external;

    /// @notice Replaces the event metadata URI. Emits {MetadataURIChanged}, ERC-7572
    /// `ContractURIUpdated` and an ERC-4906 `BatchMetadataUpdate` over every token.
    function setMetadataURI(string calldata metadataURI) external;

    /// @notice Adds or removes addresses from the deny list. Denied addresses cannot buy, receive,
    /// send, gift or list tickets, nor be refunded to another address. Emits {DenyListUpdated} per address.
    function setDenied(address[] calldata accounts, bool denied) external;

    /// @notice Sets the number of free gifts each holder may make under the Capped policy.
    /// Emits {GiftAllowanceChanged}.
    function setGiftsPerHolder(uint8 giftsPerHolder) external;

    /// @notice Adds a timed-entry calendar (a season of slots described by a rule, see
    /// {CalendarParams}) and puts `tierIds` on it: those tiers then sell its slots ({IEventTicket-buySlot}
    /// or `buyWith` with a slot), sharing each slot's capacity. A seated tier on a calendar is a
    /// run of performances: each slot is a performance with the whole seat map.
    /// @dev Requirements: organizer; event live; a valid rule ({InvalidCalendar} names the broken
    /// check); at least one tier, each existing, with nothing sold and on no calendar yet.
    /// Emits {CalendarAdded}.
    /// @return calendarId The new calendar's id: its first tier's id.
    function addCalendar(CalendarParams calldata params, uint256[] calldata tierIds) external returns (uint256 calendarId);

    /// @notice Closes days of a calendar (no slot offered: a holiday, a private hire) or opens them
    /// again; `dayIndexes` count from the calendar's first day.
    /// @dev Requirements: organizer; event live; each day in the season; a day to close has no
    /// booking ({DayHasBookings}). Emits {CalendarDaysClosed}.
    function setDaysClosed(uint256 calendarId, uint256[] calldata dayIndexes, bool closed) external;

    /// @notice Cancels the event: sales, check-in and withdrawal stop for good; refunds open. The
    /// organizer may cancel until the end; the platform (the factory's owner or its arbiter, for a
    /// dispute) until the settlement window closes (`end + settlementDelay`), so the escrow protects
    /// fans of an event that never took place even without the organizer.
    /// @dev Requirements: not already cancelled; caller and time as above.
    /// Emits {EventCancelled} and {RefundsOpened}.
    function cancel() external;

    /// @notice Postpones the event. Times may only move later, so escrow is never released early.
    /// Check-ins already made are kept (the holders were let in); {undoCheckIn} clears those that
    /// should not stand.
    /// @dev Requirements: organizer role; not cancelled, not ended. Emits {EventRescheduled}.
    function reschedule(uint40 start, uint40 end) external;

    /// @notice Undoes check-ins (a leaked or revoked gate key, a postponement): each ticket becomes
    /// valid again. Tokens not checked in are skipped, so a whole list (for example every ticket
    /// a revoked gate checked in, from its {CheckedIn} events) can be passed at once.
    /// @dev Requirements: organizer role; event not cancelled.
    /// Emits {CheckInUndone} per ticket, and ERC-4906 {MetadataUpdate}/{BatchMetadataUpdate}.
    /// @return undone How many check-ins were undone.
    function undoCheckIn(uint256[] calldata tokenIds) external returns (uint256 undone);
}
