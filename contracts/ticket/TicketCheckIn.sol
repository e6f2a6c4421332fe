// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {CheckInSkip} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Gate admissions, recorded in a bitmap (one storage word per 256 tickets).
abstract contract TicketCheckIn is TicketBase, IEventTicketManager {
    /// @inheritdoc IEventTicketManager
    function checkIn(uint256[] calldata tokenIds) external onlyRole(GATE_ROLE) returns (uint256 admitted) {
        _requireNotCancelled();
        // Only around the event itself: a leaked gate key cannot use up tickets weeks ahead.
        uint256 lead = uint256(_event.checkInLeadHours) * 1 hours;
        uint256 opensAt = _event.start > lead ? _event.start - lead : 0;
        if (block.timestamp < opensAt) revert CheckInNotOpen(opensAt);
        uint256 closesAt = uint256(_event.end) + _event.settlementDelay;
        if (block.timestamp >= closesAt) revert CheckInClosed(closesAt);

        // Gates send runs of nearby ids, so the current bitmap word is kept in memory and written
        // back once when the batch moves to another word.
        uint256 wordIndex = type(uint256).max;
        uint256 word;
        uint256 lowest = type(uint256).max;
        uint256 highest;
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            address holder = _ownerOf(tokenId);
            if (holder == address(0)) {
                emit CheckInSkipped(tokenId, CheckInSkip.NotMinted);
                continue;
            }
            if (tokenId >> 8 != wordIndex) {
                if (wordIndex != type(uint256).max) _checkedIn._data[wordIndex] = word;
                wordIndex = tokenId >> 8;
                word = _checkedIn._data[wordIndex];
            }
            uint256 bit = 1 << (tokenId & 0xff);
            if (word & bit != 0) {
                emit CheckInSkipped(tokenId, CheckInSkip.AlreadyCheckedIn);
                continue;
            }
            word |= bit;
            emit CheckedIn(tokenId, holder, msg.sender);
            ++admitted;
            if (tokenId < lowest) lowest = tokenId;
            if (tokenId > highest) highest = tokenId;
        }
        if (wordIndex != type(uint256).max) _checkedIn._data[wordIndex] = word;

        // ERC-4906: the rendered ticket now shows attendance.
        if (admitted == 1) emit IERC4906.MetadataUpdate(lowest);
        else if (admitted > 1) emit IERC4906.BatchMetadataUpdate(lowest, highest);
    }
}
