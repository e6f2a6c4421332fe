// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IEventTicketManager} from "./interfaces/IEventTicketManager.sol";
import {EventInfo, EventParams, TicketInfo, TierParams} from "./interfaces/IEventTicketTypes.sol";
import {TicketAdmin} from "./ticket/TicketAdmin.sol";
import {TicketSeatMaps} from "./ticket/TicketSeatMaps.sol";
import {TicketTiers} from "./ticket/TicketTiers.sol";

/// @title The organizer console and read API shared by every Chainpass event.
/// @notice Deployed once by the factory. Events reach it through their fallback by delegatecall,
/// so it always runs in an event's storage (same TicketBase layout); called directly it has no
/// roles and no state, and every organizer function refuses.
contract EventTicketManager is TicketTiers, TicketSeatMaps, TicketAdmin {
    using BitMaps for BitMaps.BitMap;

    constructor() EIP712("Chainpass", "1") {
        _disableInitializers();
    }

    /// @inheritdoc IEventTicketManager
    function initialize(
        address organizer,
        EventParams calldata params,
        TierParams[] calldata tiers,
        uint16 platformFeeBps,
        uint24 settlementDelay
    ) external initializer {
        if (msg.sender != _FACTORY) revert NotFactory(msg.sender);
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
            tierCount: 0
        });
        _grantRole(ORGANIZER_ROLE, organizer);
        for (uint256 i; i < tiers.length; ++i) {
            _addTier(tiers[i]);
        }
    }

    /// @inheritdoc IEventTicketManager
    function eventInfo() external view returns (EventInfo memory) {
        EventState memory e = _event;
        return EventInfo({
            name: name(),
            symbol: symbol(),
            metadataURI: _metadataURI(),
            factory: _FACTORY,
            currency: e.currency,
            payout: e.payout,
            start: e.start,
            end: e.end,
            settlementDelay: e.settlementDelay,
            platformFeeBps: e.platformFeeBps,
            royaltyBps: e.royaltyBps,
            resaleCapBps: e.resaleCapBps,
            policy: e.policy,
            giftsPerHolder: e.giftsPerHolder,
            tierCount: e.tierCount,
            cancelled: e.cancelled
        });
    }

    /// @inheritdoc IEventTicketManager
    function ticketInfo(uint256 tokenId) external view returns (TicketInfo memory) {
        return TicketInfo({
            holder: _requireOwned(tokenId),
            tierId: _tierOf(tokenId),
            serial: tokenId % TOKENS_PER_TIER,
            pricePaid: _pricePaid(tokenId),
            checkedIn: _checkedIn.get(tokenId)
        });
    }

    /// @inheritdoc IEventTicketManager
    function pricePaid(uint256 tokenId) external view returns (uint256) {
        _requireOwned(tokenId);
        return _pricePaid(tokenId);
    }

    /// @inheritdoc IEventTicketManager
    function faceValue(uint256 tokenId) external view returns (uint256) {
        _requireOwned(tokenId);
        return _tiers[_tierOf(tokenId)].price;
    }

    /// @inheritdoc IEventTicketManager
    function isCheckedIn(uint256 tokenId) external view returns (bool) {
        return _checkedIn.get(tokenId);
    }

    /// @inheritdoc IEventTicketManager
    function isDenied(address account) external view returns (bool) {
        return _isDenied(account);
    }

    /// @inheritdoc IEventTicketManager
    function purchased(uint256 tierId, address wallet) external view returns (uint256) {
        (uint256 bought,,) = _purchaseEntry(_load(_accountSlot(wallet)), tierId, wallet);
        return bought;
    }

    /// @inheritdoc IEventTicketManager
    function giftsUsed(address holder) external view returns (uint256) {
        return _giftsUsed[holder];
    }

    /// @inheritdoc IEventTicketManager
    function escrowBalance() external view returns (uint256) {
        return _withdrawable();
    }

    /// @inheritdoc IEventTicketManager
    function contractURI() external view returns (string memory) {
        return _metadataURI();
    }

    /// @inheritdoc IEventTicketManager
    function voucherUses(bytes32 codeId) external view returns (uint256 used, bool revoked) {
        uint256 packed = _voucherUses[codeId];
        return (packed & ~VOUCHER_REVOKED, packed & VOUCHER_REVOKED != 0);
    }
}
