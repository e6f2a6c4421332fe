// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicket, TierParams} from "../interfaces/IEventTicket.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Ticket types: add, update, pause.
abstract contract TicketTiers is TicketBase {
    /// @inheritdoc IEventTicket
    function addTier(TierParams calldata params) external onlyRole(ORGANIZER_ROLE) returns (uint256 tierId) {
        _requireLive();
        tierId = _addTier(params);
    }

    /// @inheritdoc IEventTicket
    function updateTier(uint256 tierId, TierParams calldata params) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _requireTier(tierId);
        TierState storage t = _tiers[tierId];
        uint256 sold = t.sold;
        if (params.price != t.price && sold != 0) revert TierPriceLocked(tierId, sold);
        _validateTier(tierId, params, sold);
        (t.price, t.supply, t.maxPerWallet, t.saleStart, t.saleEnd) =
            (params.price, params.supply, params.maxPerWallet, params.saleStart, params.saleEnd);
        _tierNames[tierId] = params.name;
        emit TierUpdated(
            tierId, params.name, params.price, params.supply, params.maxPerWallet, params.saleStart, params.saleEnd
        );
    }

    /// @inheritdoc IEventTicket
    function setTierPaused(uint256 tierId, bool paused) external onlyRole(ORGANIZER_ROLE) {
        _requireTier(tierId);
        TierState storage t = _tiers[tierId];
        t.flags = paused ? t.flags | TIER_PAUSED : t.flags & ~TIER_PAUSED;
        emit TierPauseChanged(tierId, paused);
    }

    function _addTier(TierParams calldata params) internal returns (uint256 tierId) {
        uint256 count = _event.tierCount;
        if (count == MAX_TIERS) revert TooManyTiers(MAX_TIERS);
        tierId = count + 1;
        _validateTier(tierId, params, 0);
        _event.tierCount = uint8(tierId);
        _tiers[tierId] = TierState({
            price: params.price,
            supply: params.supply,
            sold: 0,
            maxPerWallet: params.maxPerWallet,
            saleStart: params.saleStart,
            saleEnd: params.saleEnd,
            flags: 0
        });
        _tierNames[tierId] = params.name;
        emit TierAdded(
            tierId, params.name, params.price, params.supply, params.maxPerWallet, params.saleStart, params.saleEnd
        );
    }

    function _validateTier(uint256 tierId, TierParams calldata params, uint256 sold) private view {
        if (bytes(params.name).length == 0) revert EmptyName();
        if (params.supply < sold || params.supply > MAX_SUPPLY_PER_TIER) {
            revert InvalidTierSupply(tierId, params.supply, sold);
        }
        if (params.saleStart >= params.saleEnd || params.saleEnd > _event.end) {
            revert InvalidSaleWindow(tierId, params.saleStart, params.saleEnd);
        }
    }
}
