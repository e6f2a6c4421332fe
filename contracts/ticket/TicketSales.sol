// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicket, TransferPolicy} from "../interfaces/IEventTicket.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Primary sale.
abstract contract TicketSales is TicketBase {
    /// @inheritdoc IEventTicket
    function buy(uint256 tierId, uint256 quantity, address recipient)
        external
        payable
        nonReentrant
        returns (uint256 firstTokenId)
    {
        _requireNotCancelled();
        _requireNotDenied(msg.sender);
        TierState memory t = _tiers[tierId];
        if (t.saleEnd == 0) revert UnknownTier(tierId);
        if (t.flags & TIER_PAUSED != 0) revert TierIsPaused(tierId);
        if (block.timestamp < t.saleStart || block.timestamp >= t.saleEnd) {
            revert SaleNotOpen(tierId, t.saleStart, t.saleEnd);
        }
        if (quantity == 0) revert InvalidQuantity(quantity);
        uint256 remaining = t.supply - t.sold;
        if (quantity > remaining) revert SoldOut(tierId, quantity, remaining);
        if (t.maxPerWallet != 0) _countTowardsWalletLimit(tierId, recipient, quantity, t.maxPerWallet);

        _tiers[tierId].sold = t.sold + uint24(quantity);
        firstTokenId = _tokenId(tierId, uint256(t.sold) + 1);
        bool soulbound = _event.policy == TransferPolicy.Locked;
        for (uint256 i; i < quantity; ++i) {
            _mint(recipient, firstTokenId + i);
            if (soulbound) emit Locked(firstTokenId + i);
        }
        uint256 total = uint256(t.price) * quantity;
        emit TicketsPurchased(msg.sender, recipient, tierId, firstTokenId, quantity, total);

        _collect(msg.sender, total);
    }

    /// @dev The limit is on tickets bought for a wallet, so passing tickets on does not reset it.
    function _countTowardsWalletLimit(uint256 tierId, address wallet, uint256 quantity, uint256 limit) private {
        uint256 bought = _purchased[tierId][wallet];
        uint256 left = limit > bought ? limit - bought : 0;
        if (quantity > left) revert WalletLimitExceeded(tierId, wallet, quantity, left);
        _purchased[tierId][wallet] = bought + quantity;
    }
}
