// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicket} from "../interfaces/IEventTicket.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Escrow of primary proceeds: refunds after a cancellation, or withdrawal after settlement.
/// @dev Proceeds are never counted into a variable: the contract's balance in the event currency,
/// less what it owes others (resale royalties, fees, credits), is the escrow. Until withdrawal is
/// possible (end + delay) no escrowed money leaves except refunds, each exactly the refunded
/// token's price, so the balance always covers every live token's refund.
abstract contract TicketEscrow is TicketBase, IEventTicket {
    /// @inheritdoc IEventTicket
    function claimRefund(uint256 tokenId) external nonReentrant {
        _refund(tokenId, msg.sender);
    }

    /// @inheritdoc IEventTicket
    function claimRefundTo(uint256 tokenId, address recipient) external nonReentrant {
        _refund(tokenId, recipient);
    }

    /// @inheritdoc IEventTicket
    function withdraw() external nonReentrant {
        if (!hasRole(ORGANIZER_ROLE, msg.sender)) _checkRole(FINANCE_ROLE);
        _requireNotCancelled();
        uint256 availableAt = uint256(_event.end) + _event.settlementDelay;
        if (block.timestamp < availableAt) revert WithdrawalLocked(availableAt);
        uint256 amount = _withdrawable();
        if (amount == 0) revert NothingToWithdraw();

        uint256 fee = amount * _event.platformFeeBps / BPS;
        address payout = _event.payout;
        emit ProceedsWithdrawn(msg.sender, payout, amount - fee, fee);
        // The factory's receive() cannot revert, so the fee transfer cannot block a withdrawal.
        _pay(_FACTORY, fee);
        _pay(payout, amount - fee);
    }

    function _refund(uint256 tokenId, address recipient) private {
        if (!_event.cancelled) revert EventNotCancelled();
        address holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
        if (recipient != holder) {
            if (_isDenied(holder) || recipient == address(0)) revert RefundRecipientNotAllowed(holder, recipient);
            _requireNotDenied(recipient);
        }
        uint256 amount = _pricePaid(tokenId);

        _burnTicket(tokenId);
        emit Refunded(tokenId, holder, recipient, amount);

        _pay(recipient, amount);
    }
}
