// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {Seat, SeatBlock} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Reserved seating: a compact seat map per tier (blocks of rows of seats).
/// @dev A seated ticket's id is `tierId * TOKENS_PER_TIER + seat`, seat ids counting through the
/// map's blocks from 1, so a ticket's seat is read from its id and needs no per-token storage.
abstract contract TicketSeatMaps is TicketBase, IEventTicketManager {
    using BitMaps for BitMaps.BitMap;

    /// @inheritdoc IEventTicketManager
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

    /// @inheritdoc IEventTicketManager
    function seatMap(uint256 tierId) external view returns (SeatBlock[] memory) {
        return _seatMaps[tierId];
    }

    /// @inheritdoc IEventTicketManager
    function seatOf(uint256 tokenId) external view returns (Seat memory seat) {
        SeatBlock[] storage map = _seatMaps[_tierOf(tokenId)];
        uint256 serial = tokenId % TOKENS_PER_TIER;
        if (serial == 0) return seat;
        uint256 index = serial - 1; // 0-based seat index within the tier
        for (uint256 i; i < map.length; ++i) {
            SeatBlock memory b = map[i];
            uint256 inBlock = uint256(b.rows) * b.seatsPerRow;
            if (index < inBlock) {
                return Seat({
                    section: b.section,
                    row: uint16(b.firstRow + index / b.seatsPerRow),
                    number: uint16(b.firstSeat + index % b.seatsPerRow),
                    letteredRow: b.letteredRows
                });
            }
            index -= inBlock;
        }
    }

    /// @inheritdoc IEventTicketManager
    function isSeatTaken(uint256 tierId, uint256 seat) external view returns (bool) {
        return _seatsTaken.get(_tokenId(tierId, seat));
    }
}
