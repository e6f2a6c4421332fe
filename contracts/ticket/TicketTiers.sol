// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketCatalog} from "../interfaces/IEventTicketCatalog.sol";
import {TierOptions, TierParams} from "../interfaces/IEventTicketTypes.sol";
import {TicketTierSetup} from "./TicketTierSetup.sol";

/// @title Ticket types: add, update, pause, and their options (early price, timed entry, presale).
/// @dev Organizer console calls, in EventTicketCatalog (the event's creation adds its first
/// tiers through EventTicketManager.initialize, with the same `_addTier`).
abstract contract TicketTiers is TicketTierSetup, IEventTicketCatalog {
    /// @inheritdoc IEventTicketCatalog
    function addTier(TierParams calldata params) external onlyRole(ORGANIZER_ROLE) returns (uint256 tierId) {
        _requireLive();
        tierId = _addTier(params);
    }

    /// @inheritdoc IEventTicketCatalog
    function updateTier(uint256 tierId, TierParams calldata params) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _requireTier(tierId);
        TierState storage t = _tiers[tierId];
        uint256 sold = t.sold;
        if (params.price != t.price && sold != 0) revert TierPriceLocked(tierId, sold);
        _validateTier(tierId, params, sold);
        // A timed tier stops selling when its entry slot starts (setTierOptions).
        if (t.flags & TIER_HAS_OPTIONS != 0) {
            uint40 entryStart = _tierExtras[tierId].entryStart;
            if (entryStart != 0 && params.saleEnd > entryStart) {
                revert InvalidSaleWindow(tierId, params.saleStart, params.saleEnd);
            }
        }
        // A seated tier's supply is its number of seats.
        if (t.flags & TIER_SEATED != 0 && params.supply != t.supply) {
            revert InvalidTierSupply(tierId, params.supply, sold);
        }
        (t.price, t.supply, t.maxPerWallet, t.saleStart, t.saleEnd) =
            (params.price, params.supply, params.maxPerWallet, params.saleStart, params.saleEnd);
        _tierNames[tierId] = params.name;
        emit TierUpdated(
            tierId, params.name, params.price, params.supply, params.maxPerWallet, params.saleStart, params.saleEnd
        );
    }

    /// @inheritdoc IEventTicketCatalog
    function setTierPaused(uint256 tierId, bool paused) external onlyRole(ORGANIZER_ROLE) {
        _requireTier(tierId);
        TierState storage t = _tiers[tierId];
        t.flags = paused ? t.flags | TIER_PAUSED : t.flags & ~TIER_PAUSED;
        emit TierPauseChanged(tierId, paused);
    }

    /// @inheritdoc IEventTicketCatalog
    function setTierOptions(uint256 tierId, TierOptions calldata o) external onlyRole(ORGANIZER_ROLE) {
        _requireLive();
        _requireTier(tierId);
        TierState storage t = _tiers[tierId];
        if ((o.earlyUntil == 0) != (o.earlyPrice == 0) || o.earlyUntil > t.saleEnd) {
            revert InvalidEarlyPricing(tierId, o.earlyPrice, o.earlyUntil);
        }
        if ((o.entryStart != 0 || o.entryEnd != 0) && o.entryStart >= o.entryEnd) {
            revert InvalidEntryWindow(tierId, o.entryStart, o.entryEnd);
        }
        if ((o.presaleStart == 0) != (o.presaleRoot == 0) || (o.presaleStart != 0 && o.presaleStart >= t.saleStart)) {
            revert InvalidPresale(tierId, o.presaleStart, t.saleStart);
        }
        _tierExtras[tierId] = TierExtras({
            earlyPrice: o.earlyPrice,
            earlyUntil: o.earlyUntil,
            entryStart: o.entryStart,
            entryEnd: o.entryEnd,
            presaleStart: o.presaleStart
        });
        _presaleRoots[tierId] = o.presaleRoot;
        bool any = o.earlyUntil != 0 || o.entryEnd != 0 || o.presaleStart != 0;
        t.flags = any ? t.flags | TIER_HAS_OPTIONS : t.flags & ~TIER_HAS_OPTIONS;
        emit TierOptionsSet(tierId, o.earlyPrice, o.earlyUntil, o.entryStart, o.entryEnd, o.presaleStart, o.presaleRoot);
        // A timed ticket is not sold once its entry slot has started: the sale ends at the slot's
        // start at the latest (an earlier sale end is the organizer's lead time, and stays).
        if (o.entryStart != 0 && t.saleEnd > o.entryStart) {
            if (o.entryStart <= t.saleStart) revert InvalidEntryWindow(tierId, o.entryStart, o.entryEnd);
            t.saleEnd = o.entryStart;
            emit TierUpdated(tierId, _tierNames[tierId], t.price, t.supply, t.maxPerWallet, t.saleStart, o.entryStart);
        }
    }
}
