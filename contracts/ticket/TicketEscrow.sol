// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Refunds of a cancelled event.
/// @dev Proceeds are never counted into a variable: the contract's balance in the event currency,
/// less what it owes others (resale royalties, fees, credits), is the escrow. Until withdrawal is
/// possible (end + settlement window) no escrowed money leaves except refunds, each at most the
/// refunded token's price, so the balance covers every live token's refund. If the currency
/// itself lost funds (the escrow is below what the live tickets paid), the ratio set at
/// cancellation shares what is left pro rata: nobody is paid in full at another's expense, and no
/// refund reverts for lack of escrow.
abstract contract TicketEscrow is TicketBase, IEventTicketManager {
    /// @inheritdoc IEventTicketManager
    function claimRefund(uint256 tokenId) external nonReentrant {
        _refund(tokenId, msg.sender);
    }

    /// @inheritdoc IEventTicketManager
    function claimRefundTo(uint256 tokenId, address recipient) external nonReentrant {
        _refund(tokenId, recipient);
    }

    function _refund(uint256 tokenId, address recipient) private {
        if (!_event.cancelled) revert EventNotCancelled();
        address holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
        if (recipient != holder) {
            if (_isDenied(holder) || recipient == address(0)) revert RefundRecipientNotAllowed(holder, recipient);
            _requireNotDenied(recipient);
        }
        uint256 amount = _burnTicket(tokenId);
        uint256 ratio = _refundRatio;
        if (ratio != REFUND_FULL) amount = amount * ratio / REFUND_FULL;
        // Never more than the escrow holds, should the currency lose funds after the cancellation.
        uint256 available = _withdrawable();
        if (amount > available) amount = available;
        emit Refunded(tokenId, holder, recipient, amount);

        _pay(recipient, amount);
    }
}
