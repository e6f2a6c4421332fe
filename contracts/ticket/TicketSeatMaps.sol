// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketSettings} from "../interfaces/IEventTicketSettings.sol";
import {SeatBlock} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Reserved seating: a compact seat map per tier (blocks of rows of seats).
/// @dev A seated ticket's id is `tierId * TOKENS_PER_TIER + seat`, seat ids counting through the
/// map's blocks from 1, so a ticket's seat is read from its id and needs no per-token storage.
abstract contract TicketSeatMaps is TicketBase, IEventTicketSettings {
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

}
