// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketSettings} from "../interfaces/IEventTicketSettings.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {SeatBlock, TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Reserved seating: a compact seat map per tier (blocks of rows of seats).
/// @dev A seated ticket's id is `tierId * TOKENS_PER_TIER + seat`, seat ids counting through the
/// map's blocks from 1, so a ticket's seat is read from its id and needs no per-token storage.
abstract contract TicketSeatMaps is TicketBase, IEventTicketSettings {
    using BitMaps for BitMaps.BitMap;

    /// @inheritdoc IEventTicketSettings
    function setSeatMap(uint256 tierId, SeatBlock[] calldata blocks) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _requireTier(tierId);
        TierState storage t = _tiers[tierId];
        if (t.sold != 0) revert SeatMapLocked(tierId, t.sold);
        SeatBlock[] storage map = _seatMaps[tierId];
        while (map.length != 0) map.pop();
        uint256 seats;
        for (uint256 i; i < blocks.length; ++i) {
            SeatBlock calldata b = blocks[i];
            // Rows and seats are numbered from 1 (0 reads as "no seat") and stay within uint16.
            if (
                b.firstRow == 0 || b.firstSeat == 0 || b.rows == 0 || b.seatsPerRow == 0
                    || uint256(b.firstRow) + b.rows - 1 > type(uint16).max
                    || uint256(b.firstSeat) + b.seatsPerRow - 1 > type(uint16).max
            ) revert InvalidSeatBlock(tierId, i);
            seats += uint256(b.rows) * b.seatsPerRow;
            map.push(b);
        }
        if (seats == 0 || seats > MAX_SUPPLY_PER_TIER) revert InvalidSeatMap(tierId, seats);
        t.supply = uint24(seats);
        t.flags |= TIER_SEATED;
        emit SeatMapSet(tierId, blocks, seats);
    }

    /// @inheritdoc IEventTicketSettings
    function holdSeats(uint256 tierId, uint256[] calldata seats) external onlyRole(ORGANIZER_ROLE) {
        TierState storage t = _seatedTier(tierId);
        uint256 supply = t.supply;
        uint256 calendarId = t.calendar;
        for (uint256 i; i < seats.length; ++i) {
            // A run's seat is held for one performance: `slot * TOKENS_PER_SLOT + seat`.
            uint256 slot = seats[i] / TOKENS_PER_SLOT;
            if ((slot != 0) != (calendarId != 0)) revert InvalidSeat(tierId, seats[i]);
            if (slot != 0) _slotWindow(calendarId, slot);
            _seatsHeld.set(_takeSeat(tierId, slot, seats[i] % TOKENS_PER_SLOT, supply));
        }
        // Held seats count as sold (a seat's id must stay within the supply), and their price comes
        // off the refund books, which count every sold place at the tier's price.
        t.sold += uint24(seats.length);
        _tierBooks[tierId].recordedDelta -= int192(int256(uint256(t.price) * seats.length));
        emit SeatsHeld(tierId, seats);
    }

    /// @inheritdoc IEventTicketSettings
    function releaseSeats(uint256 tierId, uint256[] calldata seats) external onlyRole(ORGANIZER_ROLE) {
        TierState storage t = _seatedTier(tierId);
        for (uint256 i; i < seats.length; ++i) {
            uint256 tokenId = _requireHeld(tierId, seats[i]);
            _seatsTaken.unset(tokenId);
        }
        t.sold -= uint24(seats.length);
        _tierBooks[tierId].recordedDelta += int192(int256(uint256(t.price) * seats.length));
        emit SeatsReleased(tierId, seats);
    }

    /// @inheritdoc IEventTicketSettings
    function compSeats(uint256 tierId, uint256[] calldata seats, address recipient)
        external
        onlyRole(ORGANIZER_ROLE)
        returns (uint256 firstTokenId)
    {
        uint256 calendarId = _seatedTier(tierId).calendar;
        bool soulbound = _event.policy == TransferPolicy.Locked;
        for (uint256 i; i < seats.length; ++i) {
            uint256 tokenId = _requireHeld(tierId, seats[i]);
            if (i == 0) firstTokenId = tokenId;
            // A performance's comp is one of its bookings, as a sale is.
            uint256 slot = _slotOf(tokenId);
            if (slot != 0) _bookSlot(calendarId, _calendar(calendarId), slot, 1);
            // Price paid 0, recorded: the books already hold -price for the held seat, so the
            // comp's refund is 0 and the books need no change.
            _mintTicket(recipient, tokenId, 0, true, soulbound, 0);
        }
        emit TicketsPurchased(msg.sender, recipient, tierId, firstTokenId, seats.length, 0);
    }

    function _seatedTier(uint256 tierId) private view returns (TierState storage t) {
        _requireLive();
        _requireTier(tierId);
        t = _tiers[tierId];
        if (t.flags & TIER_SEATED == 0) revert NotSeatedTier(tierId);
    }

    /// @dev The held seat's token id, no longer held (it stays taken: the caller frees or mints it).
    /// `seat` may carry a run's performance (`slot * TOKENS_PER_SLOT + seat`), which adds up to the id.
    function _requireHeld(uint256 tierId, uint256 seat) private returns (uint256 tokenId) {
        tokenId = _tokenId(tierId, seat);
        uint256 inMap = seat % TOKENS_PER_SLOT;
        if (inMap == 0 || inMap >= TOKENS_PER_TIER || !_seatsHeld.get(tokenId)) revert SeatNotHeld(tierId, seat);
        _seatsHeld.unset(tokenId);
    }
}
