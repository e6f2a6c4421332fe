// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PurchaseOptions} from "./IEventTicketTypes.sol";
import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";

/// @title One event's ticket collection: what fans and gates call (sale, gifts, the capped resale
/// market, check-in, refunds). Implemented by EventTicket; the organizer console is
/// {IEventTicketManager}, the read API {IEventTicketViews}, all at the same address.
/// @notice Token ids encode their tier: `tokenId = tierId * 1_000_000 + serial`, serial from 1
/// (for seated tiers, the seat id), plus `slot * 1_000_000_000` for a calendar slot's tickets. A resale pays the organizer's ERC-2981 royalty and the
/// platform fee out of the price; the seller receives the rest. Nobody's failing transfer can
/// block a purchase: a payment that cannot be pushed is credited ({IEventTicketTreasury-withdrawCredits}).
interface IEventTicket is IEventTicketErrors, IEventTicketEvents {
    /// @notice Buys `quantity` tickets of `tierId` for `recipient`, paying the price in the event's
    /// currency (msg.value for ETH, an approved `transferFrom` for the ERC-20, which must deliver
    /// the full amount).
    /// @dev Requirements: event not cancelled; tier exists, not paused, sale window open; supply
    /// left; recipient's per-wallet limit; neither buyer nor recipient denied; the total at most
    /// `maxTotal`. Emits {TicketsPurchased} and one {IERC721-Transfer} per ticket.
    /// @param maxTotal The most the buyer accepts to pay in all (the price it was shown).
    /// @return firstTokenId Tokens are `firstTokenId` .. `firstTokenId + quantity - 1`.
    function buy(uint256 tierId, uint256 quantity, address recipient, uint256 maxTotal)
        external
        payable
        returns (uint256 firstTokenId);

    /// @notice {buy} through a sales channel (a box office, an agency's link): the channel earns
    /// its commission on the tickets, paid at settlement out of the organizer's proceeds.
    /// @dev As {buy}, and the channel open ({UnknownChannel}). Emits {ChannelSale} after {TicketsPurchased}.
    function buyThrough(uint256 tierId, uint256 quantity, address recipient, uint256 maxTotal, uint256 channelId)
        external
        payable
        returns (uint256 firstTokenId);

    /// @notice Buys with the options a plain {buy} cannot carry: chosen seats, an allowlist proof
    /// during presale (the buyer's own: its allowance is spent, whoever receives the tickets), a
    /// discount voucher. Same payment rules as {buy}, `options.maxTotal` as its bound.
    /// @dev Seated tiers mint the chosen seats' ids (`tierId * 1_000_000 + seat`); other tiers mint
    /// consecutive ids. Emits {TicketsPurchased}, and {VoucherRedeemed} when a voucher applies.
    /// @return firstTokenId The first token minted.
    function buyWith(uint256 tierId, uint256 quantity, address recipient, PurchaseOptions calldata options)
        external
        payable
        returns (uint256 firstTokenId);

    /// @notice Books places in one calendar slot (timed entry): `quantities[i]` tickets of
    /// `tierIds[i]`, every tier on the same calendar, all sharing the slot's capacity. Same payment
    /// rules as {buy}; one payment for the whole booking.
    /// @dev Requirements: as {buy} for each tier (not seated: seated calendar tiers use {buyWith});
    /// the slot offered by the calendar ({SlotNotOffered}: outside the season, closed that day),
    /// its sale open until its start less the calendar's lead time ({SlotSaleClosed}), room in it
    /// ({SlotFull}). Token ids are `slot * 1_000_000_000 + tierId * 1_000_000 + serial`. Emits
    /// {TicketsPurchased} per tier.
    /// @return firstTokenId The first token of the first tier.
    function buySlot(
        uint256 slot,
        uint256[] calldata tierIds,
        uint256[] calldata quantities,
        address recipient,
        uint256 maxTotal
    ) external payable returns (uint256 firstTokenId);

    /// @notice Lists a ticket for resale at `price` in the event currency.
    /// @dev Requirements: caller holds the ticket; resale enabled (cap > 0); price within the cap
    /// (the price the ticket was bought for, times `resaleCapBps / 10_000`); event live; caller
    /// not denied. Emits {Listed}.
    function list(uint256 tokenId, uint256 price) external;

    /// @notice Buys a listed ticket for its price (msg.value in ETH, or an approved ERC-20
    /// `transferFrom` that must deliver the full amount). Pays the royalty and platform fee, the
    /// rest to the seller.
    /// @dev Requirements: the listing is active ({IEventTicketViews-listingState} is Active); buyer
    /// not denied; price at most `maxPrice`. Emits {ResaleSold} and {IERC721-Transfer}.
    /// @param maxPrice The most the buyer accepts to pay (the price it was shown).
    function buyListing(uint256 tokenId, uint256 maxPrice) external payable;

}
