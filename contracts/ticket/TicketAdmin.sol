// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IEventTicketManager} from "../interfaces/IEventTicketManager.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title The organizer's event-level controls: cancel, postpone, single refunds, payout, deny
/// list, metadata, gift allowance, voucher revocation.
abstract contract TicketAdmin is TicketBase, IEventTicketManager {
    using BitMaps for BitMaps.BitMap;

    /// @inheritdoc IEventTicketManager
    function cancel() external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _event.cancelled = true;
        emit EventCancelled(msg.sender, block.timestamp);
    }

    /// @inheritdoc IEventTicketManager
    function reschedule(uint40 start, uint40 end) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        if (start < _event.start || end < _event.end || start >= end) revert RescheduleNotLater(start, end);
        (_event.start, _event.end) = (start, end);
        emit EventRescheduled(start, end);
    }

    /// @inheritdoc IEventTicketManager
    function refundTicket(uint256 tokenId, bool release) external nonReentrant {
        if (!hasRole(ORGANIZER_ROLE, msg.sender)) _checkRole(FINANCE_ROLE);
        _requireLive();
        address holder = _requireOwned(tokenId);
        if (_checkedIn.get(tokenId)) revert TicketAlreadyUsed(tokenId, _event.end);
        uint256 amount = _pricePaid(tokenId);
        uint256 tierId = _tierOf(tokenId);

        _burnTicket(tokenId);
        if (release) {
            TierState storage t = _tiers[tierId];
            if (t.flags & TIER_SEATED != 0) {
                _seatsTaken.unset(tokenId); // the same seat (token id) can be sold again
                t.sold -= 1;
            } else {
                // Serials are never reused, so the released place is one more unit of supply.
                if (t.supply == MAX_SUPPLY_PER_TIER) revert InvalidTierSupply(tierId, t.supply + 1, t.sold);
                t.supply += 1;
            }
            emit InventoryReleased(tierId, tokenId);
        }
        emit Refunded(tokenId, holder, holder, amount);

        _payOrCredit(holder, amount);
    }

    /// @inheritdoc IEventTicketManager
    function setPayout(address payout) external onlyRole(ORGANIZER_ROLE) {
        if (payout == address(0)) revert InvalidPayout(payout);
        _event.payout = payout;
        emit PayoutChanged(payout);
    }

    /// @inheritdoc IEventTicketManager
    function setDenied(address[] calldata accounts, bool denied) external onlyRole(ORGANIZER_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            bytes32 slot = _accountSlot(accounts[i]);
            uint256 account = _load(slot);
            _store(slot, denied ? account | ACCOUNT_DENIED : account & ~ACCOUNT_DENIED);
            emit DenyListUpdated(accounts[i], denied);
        }
    }

    /// @inheritdoc IEventTicketManager
    function setMetadataURI(string calldata metadataURI) external onlyRole(ORGANIZER_ROLE) {
        _updatedMetadataURI = metadataURI;
        emit MetadataURIChanged(metadataURI);
        emit ContractURIUpdated();
        emit IERC4906.BatchMetadataUpdate(0, type(uint256).max);
    }

    /// @inheritdoc IEventTicketManager
    function setGiftsPerHolder(uint8 giftsPerHolder) external onlyRole(ORGANIZER_ROLE) {
        _event.giftsPerHolder = giftsPerHolder;
        emit GiftAllowanceChanged(giftsPerHolder);
    }

    /// @inheritdoc IEventTicketManager
    function revokeVoucher(bytes32 codeId) external onlyRole(ORGANIZER_ROLE) {
        _voucherUses[codeId] |= VOUCHER_REVOKED;
        emit VoucherRevoked(codeId);
    }
}
