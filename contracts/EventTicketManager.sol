// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IEventTicketManager} from "./interfaces/IEventTicketManager.sol";
import {EventParams, TierParams} from "./interfaces/IEventTicketTypes.sol";
import {TicketEscrow} from "./ticket/TicketEscrow.sol";
import {TicketGifts} from "./ticket/TicketGifts.sol";
import {TicketReturns} from "./ticket/TicketReturns.sol";
import {TicketCheckIn} from "./ticket/TicketCheckIn.sol";
import {TicketTierSetup} from "./ticket/TicketTierSetup.sol";

/// @title The organizer console shared by every Chainpass event.
/// @notice Deployed once. Events reach it through their fallback by delegatecall, so it always
/// runs in an event's storage (same TicketBase layout); called directly it has no roles and no
/// state, and every organizer function refuses. Whatever it does not define its own fallback
/// passes on, by delegatecall again, to EventTicketTreasury (money out) and from there to
/// EventTicketViews (the read API).
contract EventTicketManager is TicketTierSetup, TicketCheckIn, TicketReturns, TicketGifts, TicketEscrow, Proxy {
    address private immutable _NEXT;

    /// @param next EventTicketTreasury (whose own fallback reaches EventTicketViews).
    constructor(address next) EIP712("Chainpass", "1") {
        _NEXT = next;
        _disableInitializers();
    }

    function _implementation() internal view override returns (address) {
        return _NEXT;
    }

    /// @inheritdoc IEventTicketManager
    function initialize(
        address organizer,
        EventParams calldata params,
        TierParams[] calldata tiers,
        uint16 platformFeeBps,
        uint24 settlementDelay
    ) external initializer {
        if (msg.sender != _factory()) revert NotFactory(msg.sender);
        if (bytes(params.name).length == 0) revert EmptyName();
        if (params.start >= params.end || params.end <= block.timestamp) {
            revert InvalidEventTimes(params.start, params.end);
        }
        if (params.royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(params.royaltyBps, MAX_ROYALTY_BPS);
        if (params.payout == address(0)) revert InvalidPayout(params.payout);

        __ERC721_init(params.name, params.symbol);
        _event = EventState({
            currency: params.currency,
            end: params.end,
            royaltyBps: params.royaltyBps,
            platformFeeBps: platformFeeBps,
            policy: params.policy,
            cancelled: false,
            payout: params.payout,
            start: params.start,
            settlementDelay: settlementDelay,
            resaleCapBps: params.resaleCapBps,
            giftsPerHolder: params.giftsPerHolder,
            tierCount: 0,
            checkInLeadHours: DEFAULT_CHECK_IN_LEAD_HOURS
        });
        _grantRole(ORGANIZER_ROLE, organizer);
        for (uint256 i; i < tiers.length; ++i) {
            _addTier(tiers[i]);
        }
    }
}
