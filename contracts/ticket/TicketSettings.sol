// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

import {IEventTicketSettings} from "../interfaces/IEventTicketSettings.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title The organizer's standing settings (see IEventTicketSettings).
abstract contract TicketSettings is TicketBase, IEventTicketSettings {
    /// @inheritdoc IEventTicketSettings
    function setCheckInLead(uint8 hours_) external onlyRole(ORGANIZER_ROLE) {
        _event.checkInLeadHours = hours_;
        emit CheckInLeadChanged(hours_);
    }

    /// @inheritdoc IEventTicketSettings
    function setPayout(address payout) external onlyRole(ORGANIZER_ROLE) {
        if (payout == address(0)) revert InvalidPayout(payout);
        _event.payout = payout;
        emit PayoutChanged(payout);
    }

    /// @inheritdoc IEventTicketSettings
    function setDenied(address[] calldata accounts, bool denied) external onlyRole(ORGANIZER_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            bytes32 slot = _accountSlot(accounts[i]);
            uint256 account = _load(slot);
            _store(slot, denied ? account | ACCOUNT_DENIED : account & ~ACCOUNT_DENIED);
            emit DenyListUpdated(accounts[i], denied);
        }
    }

    /// @inheritdoc IEventTicketSettings
    function setMetadataURI(string calldata metadataURI) external onlyRole(ORGANIZER_ROLE) {
        _updatedMetadataURI = metadataURI;
        emit MetadataURIChanged(metadataURI);
        emit ContractURIUpdated();
        emit IERC4906.BatchMetadataUpdate(0, type(uint256).max);
    }

    /// @inheritdoc IEventTicketSettings
    function setGiftsPerHolder(uint8 giftsPerHolder) external onlyRole(ORGANIZER_ROLE) {
        _event.giftsPerHolder = giftsPerHolder;
        emit GiftAllowanceChanged(giftsPerHolder);
    }

    /// @inheritdoc IEventTicketSettings
    function revokeVoucher(bytes32 codeId) external onlyRole(ORGANIZER_ROLE) {
        _voucherUses[codeId] |= VOUCHER_REVOKED;
        emit VoucherRevoked(codeId);
    }
}
