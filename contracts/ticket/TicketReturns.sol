// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {RefundPolicy} from "../libraries/RefundPolicy.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Returns by the holder under the event's refund policy (the policy itself is set in
/// TicketMoney, with the other money terms).
/// @dev In EventTicketManager rather than the treasury: one delegatecall hop fewer (about 2,700
/// gas) keeps a return within its gas target.
abstract contract TicketReturns is TicketBase, IEventTicketManager {
    /// @inheritdoc IEventTicketManager
    function returnTicket(uint256 tokenId) external nonReentrant {
        address holder = _requireGiveBack(tokenId);
        uint256 policy = _refundPolicy;
        if (RefundPolicy.count(policy) == 0) revert ReturnsNotOffered();
        uint256 tierId = _tierOf(tokenId);
        (uint256 shareBps, uint256 until) = RefundPolicy.shareAt(policy, _ticketStart(tokenId), block.timestamp);
        if (shareBps == 0) revert ReturnsClosed(tokenId, until);

        uint256 paid = _burnTicket(tokenId);
        _releaseInventory(tokenId, tierId, paid);
        uint256 refunded = _capToTokenEscrow(paid * shareBps / BPS);
        // The rest of the price stays in the escrow: the organizer's, withdrawn with the proceeds.
        emit TicketReturned(tokenId, holder, refunded, paid - refunded);

        _payOrCredit(_event.currency, holder, refunded);
    }
}
