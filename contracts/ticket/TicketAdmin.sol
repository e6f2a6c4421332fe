// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IEventTicketSettings} from "../interfaces/IEventTicketSettings.sol";
import {ITicketFactory} from "../interfaces/ITicketFactory.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title The organizer's event-level controls: cancel (also the platform's, for a dispute),
/// postpone, undoing check-ins. In EventTicketSettings with the standing settings: none of them is
/// on a fan's or a gate's path, so the extra delegatecall hops cost nobody at the door.
abstract contract TicketAdmin is TicketBase, IEventTicketSettings {
    using BitMaps for BitMaps.BitMap;

    /// @inheritdoc IEventTicketSettings
    function cancel() external {
        _requireNotCancelled();
        uint256 end = _event.end;
        if (hasRole(ORGANIZER_ROLE, msg.sender) && block.timestamp < end) {
            // the organizer, before the end
        } else {
            // The platform (its owner, or the arbiter it appointed) until withdrawal opens: an
            // event that never took place is refunded even if its organizer is gone.
            uint256 closesAt = end + _event.settlementDelay;
            address factory = _factory();
            bool platform = msg.sender == Ownable(factory).owner() || msg.sender == ITicketFactory(factory).arbiter();
            if (!platform || block.timestamp >= closesAt) revert CancelNotAllowed(msg.sender, closesAt);
        }
        _event.cancelled = true;
        // What refunds pay: in full, unless the escrow fell short of what the live tickets paid
        // (a currency that lost funds); then each pays the same share of its price.
        uint256 owed = _refundsOwed();
        uint256 escrow = _withdrawable();
        uint256 ratio = escrow >= owed ? REFUND_FULL : escrow * REFUND_FULL / owed;
        _refundRatio = ratio;
        // Beyond every live ticket's price: what returns kept, the organizer's (withdraw).
        if (escrow > owed) _cancelSurplus = escrow - owed;
        emit EventCancelled(msg.sender, block.timestamp);
        emit RefundsOpened(escrow, owed, ratio);
    }

    /// @inheritdoc IEventTicketSettings
    function reschedule(uint40 start, uint40 end) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        if (start < _event.start || end < _event.end || start >= end) revert RescheduleNotLater(start, end);
        (_event.start, _event.end) = (start, end);
        emit EventRescheduled(start, end);
    }

    /// @inheritdoc IEventTicketSettings
    function undoCheckIn(uint256[] calldata tokenIds) external onlyRole(ORGANIZER_ROLE) returns (uint256 undone) {
        _requireNotCancelled();
        uint256 lowest = type(uint256).max;
        uint256 highest;
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            if (!_checkedIn.get(tokenId)) continue;
            _checkedIn.unset(tokenId);
            emit CheckInUndone(tokenId, msg.sender);
            ++undone;
            if (tokenId < lowest) lowest = tokenId;
            if (tokenId > highest) highest = tokenId;
        }
        // ERC-4906: the rendered ticket no longer shows attendance.
        if (undone == 1) emit IERC4906.MetadataUpdate(lowest);
        else if (undone > 1) emit IERC4906.BatchMetadataUpdate(lowest, highest);
    }
}
