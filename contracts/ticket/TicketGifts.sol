// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Free gifts, counted against the holder's allowance under the Capped policy.
/// @dev In EventTicketManager (one delegatecall hop from the event) to leave EventTicket's code
/// room for the sale paths.
abstract contract TicketGifts is TicketBase, IEventTicketManager {
    /// @inheritdoc IEventTicketManager
    function gift(uint256 tokenId, address to) external {
        address holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
        // A gift to oneself moves nothing, and would spend one of the holder's free gifts.
        if (to == holder) revert GiftToHolder(tokenId, holder);
        uint256 used;
        if (_event.policy == TransferPolicy.Capped && block.timestamp < _event.end) {
            used = _giftsUsed[holder] + 1;
            if (used > _event.giftsPerHolder) revert GiftAllowanceExhausted(holder, used - 1, _event.giftsPerHolder);
            _giftsUsed[holder] = used;
        }
        delete _listings[tokenId];
        emit Gifted(tokenId, holder, to, used);
        _policyTransferFrom(holder, to, tokenId);
    }
}
