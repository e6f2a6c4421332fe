// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {
    EventInfo,
    EventParams,
    IEventTicket,
    TicketInfo,
    Tier,
    TierParams,
    TransferPolicy
} from "./interfaces/IEventTicket.sol";
import {ITicketRenderer} from "./interfaces/ITicketRenderer.sol";
import {TicketCheckIn} from "./ticket/TicketCheckIn.sol";
import {TicketSales} from "./ticket/TicketSales.sol";
import {TicketSettlement} from "./ticket/TicketSettlement.sol";
import {TicketTiers} from "./ticket/TicketTiers.sol";

/// @title Chainpass event: one ERC-721 collection per event, cloned (EIP-1167) by TicketFactory.
/// @notice Tiers and primary sale, a transfer policy, gate check-in, escrowed proceeds with
/// cancellation refunds, a deny list, ERC-2981 royalties to the organizer.
contract EventTicket is TicketTiers, TicketSales, TicketCheckIn, TicketSettlement {
    using BitMaps for BitMaps.BitMap;

    /// @notice The factory that deployed this implementation and initializes its clones.
    address private immutable _FACTORY;
    ITicketRenderer private immutable _RENDERER;

    /// @dev The implementation itself can never be initialized; only its clones are.
    constructor(ITicketRenderer renderer) {
        _FACTORY = msg.sender;
        _RENDERER = renderer;
        _disableInitializers();
    }

    /// @inheritdoc IEventTicket
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
            settlementDelay: settlementDelay,
            platformFeeBps: platformFeeBps,
            policy: params.policy,
            cancelled: false,
            payout: params.payout,
            start: params.start,
            royaltyBps: params.royaltyBps,
            resaleCapBps: params.resaleCapBps,
            giftsPerHolder: params.giftsPerHolder,
            tierCount: 0
        });
        _grantRole(ORGANIZER_ROLE, organizer);
        for (uint256 i; i < tiers.length; ++i) {
            _addTier(tiers[i]);
        }
    }

    // ------------------------------------------------------------------ gifts

    /// @inheritdoc IEventTicket
    function gift(uint256 tokenId, address to) external {
        address holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
        uint256 used;
        if (_event.policy == TransferPolicy.Capped && block.timestamp < _event.end) {
            used = _giftsUsed[holder] + 1;
            if (used > _event.giftsPerHolder) revert GiftAllowanceExhausted(holder, used - 1, _event.giftsPerHolder);
            _giftsUsed[holder] = used;
        }
        emit Gifted(tokenId, holder, to, used);
        _policyTransferFrom(holder, to, tokenId);
    }

    /// @inheritdoc IEventTicket
    function setGiftsPerHolder(uint8 giftsPerHolder) external onlyRole(ORGANIZER_ROLE) {
        _event.giftsPerHolder = giftsPerHolder;
        emit GiftAllowanceChanged(giftsPerHolder);
    }

    // ------------------------------------------------------------------ deny list and metadata

    /// @inheritdoc IEventTicket
    function setDenied(address[] calldata accounts, bool denied) external onlyRole(ORGANIZER_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            _denied[accounts[i]] = denied;
            emit DenyListUpdated(accounts[i], denied);
        }
    }

    /// @inheritdoc IEventTicket
    function setMetadataURI(string calldata metadataURI) external onlyRole(ORGANIZER_ROLE) {
        _updatedMetadataURI = metadataURI;
        emit MetadataURIChanged(metadataURI);
        emit ContractURIUpdated();
        emit IERC4906.BatchMetadataUpdate(0, type(uint256).max);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IEventTicket
    function eventInfo() external view returns (EventInfo memory info) {
        EventState memory e = _event;
        info = EventInfo({
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

    /// @inheritdoc IEventTicket
    function tier(uint256 tierId) external view returns (Tier memory) {
        _requireTier(tierId);
        TierState memory t = _tiers[tierId];
        return Tier({
            name: _tierNames[tierId],
            price: t.price,
            supply: t.supply,
            sold: t.sold,
            maxPerWallet: t.maxPerWallet,
            saleStart: t.saleStart,
            saleEnd: t.saleEnd,
            paused: t.flags & TIER_PAUSED != 0
        });
    }

    /// @inheritdoc IEventTicket
    function ticketInfo(uint256 tokenId) external view returns (TicketInfo memory) {
        return TicketInfo({
            holder: _requireOwned(tokenId),
            tierId: _tierOf(tokenId),
            serial: tokenId % TOKENS_PER_TIER,
            pricePaid: _pricePaid(tokenId),
            checkedIn: _checkedIn.get(tokenId)
        });
    }

    /// @inheritdoc IEventTicket
    function pricePaid(uint256 tokenId) external view returns (uint256) {
        _requireOwned(tokenId);
        return _pricePaid(tokenId);
    }

    /// @inheritdoc IEventTicket
    function isCheckedIn(uint256 tokenId) external view returns (bool) {
        return _checkedIn.get(tokenId);
    }

    /// @inheritdoc IEventTicket
    function isDenied(address account) external view returns (bool) {
        return _denied[account];
    }

    /// @inheritdoc IEventTicket
    function purchased(uint256 tierId, address wallet) external view returns (uint256) {
        return _purchased[tierId][wallet];
    }

    /// @inheritdoc IEventTicket
    function giftsUsed(address holder) external view returns (uint256) {
        return _giftsUsed[holder];
    }

    /// @inheritdoc IEventTicket
    function contractURI() external view returns (string memory) {
        return _metadataURI();
    }

    /// @notice On-chain JSON metadata (tier, attendance, an SVG ticket) from the shared renderer.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _RENDERER.tokenURI(this, tokenId);
    }

    function _factory() internal view override returns (address) {
        return _FACTORY;
    }
}
