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
    function list(uint256 tokenId, uint256 price) external {
        address holder = _ownerOf(tokenId);
        if (holder != msg.sender) revert NotTokenHolder(tokenId, msg.sender);
        if (_listings[tokenId].seller == holder) revert ListingExists(tokenId, holder);
        _requireListable(tokenId, price);
        _listings[tokenId] = Listing({seller: holder, price: uint96(price)});
        emit Listed(tokenId, holder, price);
    }

    /// @inheritdoc ITicketResale
    function updateListing(uint256 tokenId, uint256 price) external {
        Listing storage offer = _listings[tokenId];
        if (offer.seller != msg.sender || _ownerOf(tokenId) != msg.sender) revert NotTokenHolder(tokenId, msg.sender);
        _requireListable(tokenId, price);
        offer.price = uint96(price);
        emit ListingUpdated(tokenId, msg.sender, price);
    }

    /// @inheritdoc ITicketResale
    function cancelListing(uint256 tokenId) external {
        address seller = _listings[tokenId].seller;
        if (seller == address(0)) revert ListingUnavailable(tokenId, ListingState.NotListed);
        if (msg.sender != seller && msg.sender != _ownerOf(tokenId)) revert NotTokenHolder(tokenId, msg.sender);
        delete _listings[tokenId];
        emit ListingCancelled(tokenId, seller);
    }

    /// @inheritdoc ITicketResale
    function buyListing(uint256 tokenId) external payable nonReentrant {
        Listing memory offer = _listings[tokenId];
        ListingState state = _listingState(tokenId, offer);
        if (state != ListingState.Active) revert ListingUnavailable(tokenId, state);

        delete _listings[tokenId];
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
        return _listings[tokenId];
    }

    /// @inheritdoc ITicketResale
    function listingState(uint256 tokenId) external view returns (ListingState) {
        return _listingState(tokenId, _listings[tokenId]);
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

    /// @dev Face value (the tier's regular price, fixed once the tier sells) times the cap.
    function _resaleCap(uint256 tokenId) private view returns (uint256) {
        uint256 cap = uint256(_tiers[_tierOf(tokenId)].price) * _event.resaleCapBps / BPS;
        return cap > type(uint96).max ? type(uint96).max : cap;
    }

    function _requireListable(uint256 tokenId, uint256 price) private view {
        _requireLive();
        if (_event.resaleCapBps == 0) revert ResaleDisabled();
        if (_event.policy == TransferPolicy.Locked) revert TransferLocked(tokenId, _event.end);
        uint256 cap = _resaleCap(tokenId);
        if (price > cap) revert ResalePriceAboveCap(tokenId, price, cap);
        _requireNotDenied(msg.sender);
    }

    function _listingState(uint256 tokenId, Listing memory offer) private view returns (ListingState) {
        if (offer.seller == address(0)) return ListingState.NotListed;
        if (_event.cancelled) return ListingState.EventCancelled;
        if (block.timestamp >= _event.end) return ListingState.EventEnded;
        if (_ownerOf(tokenId) != offer.seller) return ListingState.TokenMoved;
        if (_checkedIn.get(tokenId)) return ListingState.CheckedIn;
        if (_denied[offer.seller]) return ListingState.SellerDenied;
        return ListingState.Active;
    }
}
