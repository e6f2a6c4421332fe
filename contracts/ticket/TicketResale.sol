// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicket} from "../interfaces/IEventTicket.sol";
import {Listing, ListingState} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title The capped resale market, with the organizer's royalty and the platform fee.
/// @dev A listing is valid only while its seller still holds the token (checked when buying), and
/// the paths this contract controls (gift, resale, refunds) delete it. Under Capped and Locked no
/// ERC-721 approval can be given before the end (see TicketBase), so no outside market can bypass
/// the cap.
abstract contract TicketResale is TicketBase, IEventTicket {
    /// @inheritdoc IEventTicket
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

    /// @inheritdoc IEventTicket
    function buyListing(uint256 tokenId, uint256 maxPrice) external payable nonReentrant {
        uint256 word = _load(_ownerSlot(tokenId));
        Listing memory offer = _listingOf(tokenId, word);
        // A used ticket or a denied seller: the transfer below refuses it (TicketAlreadyUsed,
        // AddressDenied); {listingState} reports both beforehand.
        ListingState state = _listingMarketState(offer, address(uint160(word)));
        if (state != ListingState.Active) revert ListingUnavailable(tokenId, state);
        // The seller may have raised the price (within the cap) since the buyer saw it.
        if (offer.price > maxPrice) revert PriceAboveLimit(offer.price, maxPrice);

        // An in-word listing dies with the transfer below (see `_update`).
        if (word & OWNER_LISTED == 0) delete _listings[tokenId];
        uint256 royalty = uint256(offer.price) * _event.royaltyBps / BPS;
        uint256 fee = uint256(offer.price) * _event.platformFeeBps / BPS;
        Owed memory owed = _owed;
        _owed = Owed({royalties: owed.royalties + uint128(royalty), platformFees: owed.platformFees + uint128(fee)});
        _policyTransferFrom(offer.seller, msg.sender, tokenId);
        emit ResaleSold(tokenId, offer.price);

        address currency = _event.currency;
        _collect(currency, msg.sender, offer.price);
        _payOrCredit(currency, offer.seller, offer.price - royalty - fee);
    }
}
