// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Listing, ListingState} from "./IEventTicketTypes.sol";
import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";

/// @title The capped resale market built into each event, so the cap holds under every policy.
/// @notice A resale pays the organizer's ERC-2981 royalty and the platform fee out of the price;
/// the seller receives the rest. Nobody's failing transfer can block a purchase: a payment that
/// cannot be pushed is credited and withdrawn later with {withdrawCredits}.
interface ITicketResale is IEventTicketErrors, IEventTicketEvents {
    /// @notice Lists a ticket for resale at `price` in the event currency.
    /// @dev Requirements: caller holds the ticket; resale enabled (cap > 0); price within the cap
    /// (`faceValue * resaleCapBps / 10_000`); event live; ticket not checked in; caller not denied.
    /// Emits {Listed}.
    function list(uint256 tokenId, uint256 price) external;

    /// @notice Changes the price of the caller's active listing. Emits {ListingUpdated}.
    function updateListing(uint256 tokenId, uint256 price) external;

    /// @notice Withdraws a listing; the seller of record or the token's current holder may do it.
    /// Emits {ListingCancelled}.
    function cancelListing(uint256 tokenId) external;

    /// @notice Buys a listed ticket for exactly its price (msg.value in ETH, or an approved ERC-20
    /// `transferFrom`). Pays the royalty and platform fee, the rest to the seller.
    /// @dev Requirements: the listing is active ({listingState} is Active); buyer not denied.
    /// Emits {ResaleSold} and {IERC721-Transfer}.
    function buyListing(uint256 tokenId) external payable;

    /// @notice Pays the caller what the contract owes it from failed pushes. Emits {CreditsWithdrawn}.
    function withdrawCredits() external;

    /// @notice Pays accrued resale royalties to the payout address and accrued resale fees to the
    /// factory. Anyone may call; the destinations are fixed. Emits {RoyaltiesWithdrawn}.
    function withdrawRoyalties() external;

    function listing(uint256 tokenId) external view returns (Listing memory);

    /// @notice Whether the listing for `tokenId` can be bought now, and if not, why.
    function listingState(uint256 tokenId) external view returns (ListingState);

    /// @notice The highest resale price for `tokenId`: its face value times the cap.
    function resaleCap(uint256 tokenId) external view returns (uint256);

    function credits(address account) external view returns (uint256);

    /// @notice Accrued, not yet withdrawn resale royalties and platform fees.
    function accruedRoyalties() external view returns (uint256 royalties, uint256 platformFees);
}
