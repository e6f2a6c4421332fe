// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketTreasury} from "../interfaces/IEventTicketTreasury.sol";
import {Listing, ListingState} from "../interfaces/IEventTicketTypes.sol";
import {TicketBase} from "./TicketBase.sol";

/// @title Changing or withdrawing a resale listing (listing and buying stay in EventTicket).
/// @dev In EventTicketTreasury, two delegatecall hops from the event, to leave EventTicket's code
/// room for the sale paths; neither is on a gas target.
abstract contract TicketListingChanges is TicketBase, IEventTicketTreasury {
    /// @inheritdoc IEventTicketTreasury
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

    /// @inheritdoc IEventTicketTreasury
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
}
