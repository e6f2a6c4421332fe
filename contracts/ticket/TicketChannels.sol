// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketCatalog} from "../interfaces/IEventTicketCatalog.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Sales channels: who sold a ticket (a box office, a travel agency, an influencer's link)
/// and the commission each earns, paid at settlement out of the organizer's proceeds.
/// @dev A channel's commission rate never changes once added (a reversal takes back exactly what
/// the sale earned); a new rate is a new channel. Purchases name the channel in
/// `PurchaseOptions.channel`; the token keeps it in its ownership word.
abstract contract TicketChannels is TicketBase, IEventTicketCatalog {
    /// @inheritdoc IEventTicketCatalog
    function addChannel(address payout, uint256 commissionBps, string calldata label)
        external
        onlyRole(ORGANIZER_ROLE)
        returns (uint256 channelId)
    {
        _requireLive();
        if (payout == address(0)) revert InvalidPayout(payout);
        if (commissionBps > MAX_COMMISSION_BPS) revert CommissionTooHigh(commissionBps, MAX_COMMISSION_BPS);
        channelId = _channelCount + 1;
        if (channelId > MAX_CHANNELS) revert TooManyChannels(MAX_CHANNELS);
        _channelCount = channelId;
        _channels[channelId] = CHANNEL_EXISTS | commissionBps << 128;
        _channelPayouts[channelId] = payout;
        emit ChannelAdded(channelId, payout, commissionBps, label);
    }

    /// @inheritdoc IEventTicketCatalog
    function setChannelPayout(uint256 channelId, address payout) external onlyRole(ORGANIZER_ROLE) {
        if (_channels[channelId] & CHANNEL_EXISTS == 0) revert UnknownChannel(channelId);
        if (payout == address(0)) revert InvalidPayout(payout);
        _channelPayouts[channelId] = payout;
        emit ChannelPayoutChanged(channelId, payout);
    }

    /// @inheritdoc IEventTicketCatalog
    function closeChannel(uint256 channelId) external onlyRole(ORGANIZER_ROLE) {
        uint256 channel = _channels[channelId];
        if (channel & CHANNEL_EXISTS == 0 || channel & CHANNEL_CLOSED != 0) revert UnknownChannel(channelId);
        _channels[channelId] = channel | CHANNEL_CLOSED;
        emit ChannelClosed(channelId);
    }
}
