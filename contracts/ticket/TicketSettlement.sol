// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicket} from "../interfaces/IEventTicket.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Escrow of primary proceeds: cancellation with refunds, or withdrawal after settlement.
/// @dev Proceeds are never counted into a variable: the contract's balance in the event currency
/// less what it owes others is the escrow. Until withdrawal is possible (end + delay) no money
/// leaves except refunds, each exactly the refunded token's price, so the balance always covers
/// every live token's refund.
abstract contract TicketSettlement is TicketBase {
    /// @inheritdoc IEventTicket
    function cancel() external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _event.cancelled = true;
        emit EventCancelled(msg.sender, block.timestamp);
    }

    /// @inheritdoc IEventTicket
    function reschedule(uint40 start, uint40 end) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        if (start < _event.start || end < _event.end || start >= end) revert RescheduleNotLater(start, end);
        (_event.start, _event.end) = (start, end);
        emit EventRescheduled(start, end);
    }

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
        _pay(_factory(), fee);
        _pay(payout, amount - fee);
    }

    /// @inheritdoc IEventTicket
    function setPayout(address payout) external onlyRole(ORGANIZER_ROLE) {
        if (payout == address(0)) revert InvalidPayout(payout);
        _event.payout = payout;
        emit PayoutChanged(payout);
    }

    /// @inheritdoc IEventTicket
    function escrowBalance() external view returns (uint256) {
        return _withdrawable();
    }

    /// @dev Hook for money held for others (resale proceeds owed to sellers, for instance).
    function _withdrawable() internal view virtual returns (uint256) {
        return _balance();
    }

    function _factory() internal view virtual returns (address);

    function _refund(uint256 tokenId, address recipient) private {
        if (!_event.cancelled) revert EventNotCancelled();
        address holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
        if (recipient != holder) {
            if (_denied[holder] || recipient == address(0)) revert RefundRecipientNotAllowed(holder, recipient);
            _requireNotDenied(recipient);
        }
        uint256 amount = _pricePaid(tokenId);

        _burn(tokenId);
        emit Refunded(tokenId, holder, recipient, amount);

        _pay(recipient, amount);
    }
}
