// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TierParams} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Adding and checking a ticket type: shared by the event's creation (EventTicketManager)
/// and the console's tier calls (TicketTiers, in EventTicketSettings).
abstract contract TicketTierSetup is TicketBase {
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
            flags: 0,
            calendar: 0
        });
        _tierNames[tierId] = params.name;
        emit TierAdded(
            tierId, params.name, params.price, params.supply, params.maxPerWallet, params.saleStart, params.saleEnd
        );
    }

    function _validateTier(uint256 tierId, TierParams calldata params, uint256 sold) internal view {
        if (bytes(params.name).length == 0) revert EmptyName();
        if (params.supply < sold || params.supply > MAX_SUPPLY_PER_TIER) {
            revert InvalidTierSupply(tierId, params.supply, sold);
        }
        if (params.saleStart >= params.saleEnd || params.saleEnd > _event.end) {
            revert InvalidSaleWindow(tierId, params.saleStart, params.saleEnd);
        }
    }
}
