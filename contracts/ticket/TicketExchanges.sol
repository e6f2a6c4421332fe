// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketTreasury} from "../interfaces/IEventTicketTreasury.sol";
import {TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {RefundPolicy} from "../libraries/RefundPolicy.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Exchanges: a ticket swapped for another tier, slot or seat of the same event, in one
/// transaction, when the refund policy offers exchanges.
/// @dev The old ticket's place goes back on sale exactly as a return's does; the new ticket is a
/// sale at the target tier's price now, its price recorded when it differs from the tier's. The
/// holder pays the difference up, or is refunded the difference down at the policy's share (0
/// once its deadlines have passed); what is not refunded stays in the escrow, the organizer's.
abstract contract TicketExchanges is TicketBase, IEventTicketTreasury {
    /// @inheritdoc IEventTicketTreasury
    function exchangeTicket(uint256 tokenId, uint256 newTierId, uint256 slot, uint256 seat, uint256 maxPayment)
        external
        payable
        nonReentrant
        returns (uint256 newTokenId)
    {
        address holder = _requireGiveBack(tokenId);
        uint256 policy = _refundPolicy;
        if (!RefundPolicy.offersExchanges(policy)) revert ExchangesNotOffered();
        uint256 oldTierId = _tierOf(tokenId);
        uint256 oldStart = _ticketStart(tokenId);
        if (block.timestamp >= oldStart) revert ExchangeClosed(tokenId, oldStart);

        // The new ticket keeps the old one's sales channel while it is open (the old commission is
        // taken back with the burn, the new one earned on the new price).
        uint256 channelId = (_load(_ownerSlot(tokenId)) & CHANNEL_BITS) >> CHANNEL_SHIFT;
        if (channelId != 0 && _channels[channelId] & CHANNEL_CLOSED != 0) channelId = 0;
        // The old ticket goes first, so that a seat changed within one tier finds the tier as it is after.
        uint256 oldPaid = _burnTicket(tokenId);
        _releaseInventory(tokenId, oldTierId, oldPaid);
        uint256 newPrice;
        (newTokenId, newPrice) = _takeExchangePlace(tokenId, newTierId, slot, seat, holder, channelId);
        if (channelId != 0) _creditChannel(channelId, newTokenId, 1, newPrice);

        uint256 due;
        uint256 refunded;
        if (newPrice >= oldPaid) {
            due = newPrice - oldPaid;
            if (due > maxPayment) revert PriceAboveLimit(due, maxPayment);
        } else {
            (uint256 shareBps,) = RefundPolicy.shareAt(policy, oldStart, block.timestamp);
            refunded = _capToTokenEscrow((oldPaid - newPrice) * shareBps / BPS);
        }
        emit TicketExchanged(tokenId, newTokenId, holder, newPrice, due, refunded);

        address currency = _event.currency;
        _collect(currency, msg.sender, due);
        _payOrCredit(currency, holder, refunded);
    }

    /// @dev Mints the exchange's new ticket to `holder` on the target tier (open for public sale,
    /// with room, a free seat for a seated tier, an open slot with room for a calendar tier) at the
    /// tier's price now; returns its id and price.
    function _takeExchangePlace(uint256 tokenId, uint256 tierId, uint256 slot, uint256 seat, address holder, uint256 channelId)
        private
        returns (uint256 newTokenId, uint256 price)
    {
        TierState storage t = _tiers[tierId];
        if (t.saleEnd == 0) revert UnknownTier(tierId);
        if (t.flags & TIER_PAUSED != 0) revert TierIsPaused(tierId);
        if (block.timestamp < t.saleStart || block.timestamp >= t.saleEnd) revert SaleNotOpen(tierId, t.saleStart, t.saleEnd);
        if (t.calendar != 0) {
            if (slot == 0) revert SlotSelectionRequired(tierId);
            _openSlot(t.calendar, slot, 1);
        } else if (slot != 0) {
            revert TierNotOnCalendar(tierId, 0);
        }
        // The same place again (its own seat, or its tier in its slot, just freed) is no exchange.
        if (t.flags & TIER_SEATED != 0) {
            newTokenId = _takeSeat(tierId, slot, seat, t.supply);
            if (newTokenId == tokenId) revert InvalidExchange(tokenId, tierId);
        } else {
            if (seat != 0) revert NotSeatedTier(tierId);
            if (tierId == _tierOf(tokenId) && slot == _slotOf(tokenId)) revert InvalidExchange(tokenId, tierId);
            if (t.sold >= t.supply) revert SoldOut(tierId, 1, 0);
            newTokenId = slot * TOKENS_PER_SLOT + _tokenId(tierId, uint256(t.sold) + 1);
        }
        t.sold += 1;
        // Another seat or slot of the same tier moves a ticket the holder's count already has.
        if (t.maxPerWallet != 0 && tierId != _tierOf(tokenId)) _countPurchase(tierId, holder, 1, t.maxPerWallet, false, 0);

        TierState memory tier = t;
        price = _listPrice(tierId, tier);
        bool recordPrice = price != tier.price;
        _mintTicket(holder, newTokenId, price, recordPrice, _event.policy == TransferPolicy.Locked, channelId);
        // As a sale at another price: in the refund books too.
        if (recordPrice) _tierBooks[tierId].recordedDelta += int192(int256(price) - int256(uint256(tier.price)));
    }
}
