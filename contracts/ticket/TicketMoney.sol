// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IEventTicketTreasury} from "../interfaces/IEventTicketTreasury.sol";
import {RefundStep} from "../interfaces/IEventTicketTypes.sol";
import {RefundPolicy} from "../libraries/RefundPolicy.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Money leaving the event apart from a cancel's refunds: single refunds (customer service),
/// primary proceeds after settlement, resale royalties, platform fees, and credits of failed pushes.
/// @dev Each destination is paid in its own call, so one that cannot receive (a payout contract
/// without `receive`, an address the token blocks) never holds up another.
abstract contract TicketMoney is TicketBase, IEventTicketTreasury {
    using BitMaps for BitMaps.BitMap;

    /// @inheritdoc IEventTicketTreasury
    function permitCurrency(uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        address currency = _event.currency;
        if (currency == address(0)) revert CurrencyPermitFailed(currency, msg.sender, value);
        try IERC20Permit(currency).permit(msg.sender, address(this), value, deadline, v, r, s) {
            return;
        } catch {
            if (IERC20(currency).allowance(msg.sender, address(this)) < value) revert CurrencyPermitFailed(currency, msg.sender, value);
        }
    }

    /// @inheritdoc IEventTicketTreasury
    function refundTicket(uint256 tokenId, bool release) external onlyRole(ORGANIZER_ROLE) nonReentrant {
        _requireLive();
        address holder = _requireOwned(tokenId);
        if (_checkedIn.get(tokenId)) revert TicketAlreadyUsed(tokenId, _event.end);
        uint256 tierId = _tierOf(tokenId);

        uint256 amount = _burnTicket(tokenId);
        if (release) {
            _releaseInventory(tokenId, tierId, amount);
            emit InventoryReleased(tierId, tokenId);
        } else {
            _bookRefund(tokenId, amount, true);
        }
        // Never more than the escrow holds (the currency could have lost funds).
        uint256 available = _withdrawable();
        if (amount > available) amount = available;
        emit Refunded(tokenId, holder, holder, amount);

        _payOrCredit(_event.currency, holder, amount);
    }

    /// @inheritdoc IEventTicketTreasury
    function setRefundPolicy(RefundStep[] calldata steps, bool exchanges) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        (uint256 next, uint256 bad) = RefundPolicy.pack(steps, exchanges);
        if (bad != type(uint256).max) revert InvalidRefundPolicy(bad);
        uint256 current = _refundPolicy;
        uint256 worse = RefundPolicy.firstWorse(current, next);
        if (worse != type(uint256).max) {
            (uint256 before, uint256 share) = RefundPolicy.stepAt(current, worse);
            revert RefundPolicyLessGenerous(before, share, RefundPolicy.shareBefore(next, before));
        }
        if (RefundPolicy.offersExchanges(current) && !exchanges) revert ExchangesAlreadyOffered();
        _refundPolicy = next;
        emit RefundPolicySet(steps, exchanges);
    }

    /// @inheritdoc IEventTicketTreasury
    function withdraw() external nonReentrant {
        if (!hasRole(ORGANIZER_ROLE, msg.sender)) _checkRole(FINANCE_ROLE);
        uint256 availableAt = uint256(_event.end) + _event.settlementDelay;
        uint256 amount;
        if (_event.cancelled) {
            // Only what returns kept before the cancellation: every live ticket's refund stays.
            amount = _cancelSurplus;
            if (amount == 0) revert EventIsCancelled();
            if (block.timestamp < availableAt) revert WithdrawalLocked(availableAt);
            _cancelSurplus = 0;
            uint256 available = _withdrawable();
            if (amount > available) amount = available;
        } else {
            if (block.timestamp < availableAt) revert WithdrawalLocked(availableAt);
            amount = _withdrawable();
        }
        if (amount == 0) revert NothingToWithdraw();

        uint256 fee = amount * _event.platformFeeBps / BPS;
        // Sales channels' commissions come out of the organizer's share (a cancelled event's
        // channels earned nothing: every sale is refunded).
        uint256 commissions = _event.cancelled ? 0 : _payCommissions(amount - fee);
        address payout = _event.payout;
        // The fee stays in the contract, owed to the platform, for withdrawPlatformFees.
        _owed.platformFees += uint128(fee);
        emit ProceedsWithdrawn(msg.sender, payout, amount - fee - commissions, fee);
        _pay(payout, amount - fee - commissions);
    }

    /// @dev Settles every channel's commission, at most `available` in all: each is credited to
    /// its payout for {withdrawCredits} (pull: a payout that cannot receive holds up nobody).
    function _payCommissions(uint256 available) private returns (uint256 paid) {
        uint256 count = _channelCount;
        for (uint256 channelId = 1; channelId <= count; ++channelId) {
            uint256 channel = _channels[channelId];
            uint256 owed = channel & CHANNEL_OWED_MASK;
            if (owed == 0) continue;
            if (owed > available - paid) owed = available - paid;
            _channels[channelId] = channel - owed;
            paid += owed;
            address to = _channelPayouts[channelId];
            _credits[to] += owed;
            emit ChannelCommissionPaid(channelId, to, owed);
        }
        _creditsOwed += paid;
    }

    /// @inheritdoc IEventTicketTreasury
    function withdrawRoyalties() external nonReentrant {
        uint256 royalties = _owed.royalties;
        if (royalties == 0) revert NothingToWithdraw();
        _owed.royalties = 0;
        address payout = _event.payout;
        emit RoyaltiesWithdrawn(payout, royalties);
        _pay(payout, royalties);
    }

    /// @inheritdoc IEventTicketTreasury
    function withdrawPlatformFees() external nonReentrant {
        uint256 fees = _owed.platformFees;
        if (fees == 0) revert NothingToWithdraw();
        _owed.platformFees = 0;
        address factory = _factory();
        emit PlatformFeesWithdrawn(factory, fees);
        // The factory's receive() cannot revert.
        _pay(factory, fees);
    }

    /// @inheritdoc IEventTicketTreasury
    function withdrawCredits() external nonReentrant {
        _withdrawCredits(msg.sender);
    }

    /// @inheritdoc IEventTicketTreasury
    function withdrawCreditsTo(address recipient) external nonReentrant {
        if (recipient == address(0)) revert InvalidRecipient(recipient);
        // As for refunds: a denied account is paid only to itself, and never to a denied one.
        if (recipient != msg.sender) _requireNotDenied(msg.sender);
        _requireNotDenied(recipient);
        _withdrawCredits(recipient);
    }

    function _withdrawCredits(address recipient) private {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        delete _credits[msg.sender];
        _creditsOwed -= amount;
        emit CreditsWithdrawn(msg.sender, recipient, amount);
        _pay(recipient, amount);
    }
}
