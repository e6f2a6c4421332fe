// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {Listing, ListingState, TransferPolicy} from "../interfaces/IEventTicketTypes.sol";
import {ITicketResale} from "../interfaces/ITicketResale.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title The capped resale market, with the organizer's royalty and the platform fee.
/// @dev A listing is valid only while its seller still holds the token (checked when buying), and
/// the paths this contract controls (gift, resale, refunds) delete it. Under Capped and Locked no
/// ERC-721 approval can be given before the end (see TicketBase), so no outside market can bypass
/// the cap.
abstract contract TicketResale is TicketBase, ITicketResale {
    using BitMaps for BitMaps.BitMap;

    /// @inheritdoc ITicketResale
    /// @dev The listing is kept in the token's ownership word (seller = holder), which is already
    /// written, so listing costs no new storage slot. A token that carries its recorded price
    /// there moves that to `_paidOverride` first.
    function list(uint256 tokenId, uint256 price) external {
        bytes32 slot = _ownerSlot(tokenId);
        uint256 word = _load(slot);
        address holder = address(uint160(word));
        if (holder != msg.sender) revert NotTokenHolder(tokenId, msg.sender);
        address previous = _listings[tokenId].seller;
        if (word & OWNER_LISTED != 0 || previous == holder) revert ListingExists(tokenId, holder);
        _requireListable(tokenId, price);
        if (previous != address(0)) delete _listings[tokenId]; // a listing that outlived a transfer
        if (word & OWNER_RECORDED != 0) {
            _paidOverride[tokenId] = ((word >> 160) & VALUE_MAX) | PRICE_RECORDED;
            word &= ~(OWNER_RECORDED | VALUE_BITS);
        }
        _store(slot, word | OWNER_LISTED | price << 160);
        emit Listed(tokenId, holder, price);
    }

    /// @inheritdoc ITicketResale
    function updateListing(uint256 tokenId, uint256 price) external {
        bytes32 slot = _ownerSlot(tokenId);
        uint256 word = _load(slot);
        if (address(uint160(word)) != msg.sender) revert NotTokenHolder(tokenId, msg.sender);
        if (word & OWNER_LISTED != 0) {
            _requireListable(tokenId, price);
            _store(slot, (word & ~VALUE_BITS) | price << 160);
        } else {
            Listing storage offer = _listings[tokenId];
            if (offer.seller != msg.sender) revert NotTokenHolder(tokenId, msg.sender);
            _requireListable(tokenId, price);
            offer.price = uint96(price);
        }
        emit ListingUpdated(tokenId, msg.sender, price);
    }

    /// @inheritdoc ITicketResale
    function cancelListing(uint256 tokenId) external {
        bytes32 slot = _ownerSlot(tokenId);
        uint256 word = _load(slot);
        address holder = address(uint160(word));
        address seller;
        if (word & OWNER_LISTED != 0) {
            seller = holder;
            if (msg.sender != seller) revert NotTokenHolder(tokenId, msg.sender);
            _store(slot, word & ~(OWNER_LISTED | VALUE_BITS));
        } else {
            seller = _listings[tokenId].seller;
            if (seller == address(0)) revert ListingUnavailable(tokenId, ListingState.NotListed);
            if (msg.sender != seller && msg.sender != holder) revert NotTokenHolder(tokenId, msg.sender);
            delete _listings[tokenId];
        }
        emit ListingCancelled(tokenId, seller);
    }

    /// @inheritdoc ITicketResale
    function buyListing(uint256 tokenId) external payable nonReentrant {
        uint256 word = _load(_ownerSlot(tokenId));
        Listing memory offer = _listingOf(tokenId, word);
        ListingState state = _listingState(tokenId, offer, address(uint160(word)));
        if (state != ListingState.Active) revert ListingUnavailable(tokenId, state);

        // An in-word listing dies with the transfer below (see `_update`).
        if (word & OWNER_LISTED == 0) delete _listings[tokenId];
        uint256 royalty = uint256(offer.price) * _event.royaltyBps / BPS;
        uint256 fee = uint256(offer.price) * _event.platformFeeBps / BPS;
        Owed memory owed = _owed;
        _owed = Owed({royalties: owed.royalties + uint128(royalty), platformFees: owed.platformFees + uint128(fee)});
        _policyTransferFrom(offer.seller, msg.sender, tokenId);
        emit ResaleSold(tokenId, offer.seller, msg.sender, offer.price, royalty, fee);

        _collect(msg.sender, offer.price);
        _payOrCredit(offer.seller, offer.price - royalty - fee);
    }

    /// @inheritdoc ITicketResale
    function withdrawCredits() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        delete _credits[msg.sender];
        _creditsOwed -= amount;
        emit CreditsWithdrawn(msg.sender, amount);
        _pay(msg.sender, amount);
    }

    /// @inheritdoc ITicketResale
    function withdrawRoyalties() external nonReentrant {
        Owed memory owed = _owed;
        if (owed.royalties == 0 && owed.platformFees == 0) revert NothingToWithdraw();
        delete _owed;
        address payout = _event.payout;
        emit RoyaltiesWithdrawn(payout, owed.royalties, owed.platformFees);
        _pay(_FACTORY, owed.platformFees);
        _pay(payout, owed.royalties);
    }

    /// @inheritdoc ITicketResale
    function listing(uint256 tokenId) external view returns (Listing memory) {
        return _listingOf(tokenId, _load(_ownerSlot(tokenId)));
    }

    /// @inheritdoc ITicketResale
    function listingState(uint256 tokenId) external view returns (ListingState) {
        uint256 word = _load(_ownerSlot(tokenId));
        return _listingState(tokenId, _listingOf(tokenId, word), address(uint160(word)));
    }

    /// @inheritdoc ITicketResale
    function resaleCap(uint256 tokenId) external view returns (uint256) {
        return _resaleCap(tokenId);
    }

    /// @inheritdoc ITicketResale
    function credits(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc ITicketResale
    function accruedRoyalties() external view returns (uint256 royalties, uint256 platformFees) {
        return (_owed.royalties, _owed.platformFees);
    }

    /// @dev Face value (the tier's regular price, fixed once the tier sells) times the cap, at most
    /// what a listing in the ownership word can hold (2^93 - 1, about 9.9e27).
    function _resaleCap(uint256 tokenId) private view returns (uint256) {
        uint256 cap = uint256(_tiers[_tierOf(tokenId)].price) * _event.resaleCapBps / BPS;
        return cap > VALUE_MAX ? VALUE_MAX : cap;
    }

    function _requireListable(uint256 tokenId, uint256 price) private view {
        _requireLive();
        if (_event.resaleCapBps == 0) revert ResaleDisabled();
        if (_event.policy == TransferPolicy.Locked) revert TransferLocked(tokenId, _event.end);
        uint256 cap = _resaleCap(tokenId);
        if (price > cap) revert ResalePriceAboveCap(tokenId, price, cap);
        _requireNotDenied(msg.sender);
    }

    /// @dev The listing in the ownership word `word` (seller: the holder) or else in `_listings`.
    function _listingOf(uint256 tokenId, uint256 word) private view returns (Listing memory) {
        if (word & OWNER_LISTED != 0) {
            return Listing({seller: address(uint160(word)), price: uint96((word >> 160) & VALUE_MAX)});
        }
        return _listings[tokenId];
    }

    function _listingState(uint256 tokenId, Listing memory offer, address holder) private view returns (ListingState) {
        if (offer.seller == address(0)) return ListingState.NotListed;
        if (_event.cancelled) return ListingState.EventCancelled;
        if (block.timestamp >= _event.end) return ListingState.EventEnded;
        if (holder != offer.seller) return ListingState.TokenMoved;
        if (_checkedIn.get(tokenId)) return ListingState.CheckedIn;
        if (_isDenied(offer.seller)) return ListingState.SellerDenied;
        return ListingState.Active;
    }
}
