// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChannelInfo, EventInfo, Listing, ListingState, RefundStep, Seat, SeatBlock, SlotInfo, TicketInfo, Tier, TierOptions, TierPerks, Voucher} from "./IEventTicketTypes.sol";

/// @title The read API of an event. Implemented by EventTicketViews, which each event reaches
/// through the manager's fallback (delegatecall), in the event's own storage.
interface IEventTicketViews {
    function eventInfo() external view returns (EventInfo memory);

    function tier(uint256 tierId) external view returns (Tier memory);

    function ticketInfo(uint256 tokenId) external view returns (TicketInfo memory);

    /// @notice The price the ticket was bought for: what a refund pays, and what its resale is capped against.
    function pricePaid(uint256 tokenId) external view returns (uint256);

    function isCheckedIn(uint256 tokenId) external view returns (bool);

    function isDenied(address account) external view returns (bool);

    /// @notice Tickets of `tierId` bought by or for `wallet` (counted for tiers with a wallet
    /// limit or a presale).
    function purchased(uint256 tierId, address wallet) external view returns (uint256);

    function giftsUsed(address holder) external view returns (uint256);

    /// @notice Primary proceeds currently held (balance less amounts owed to others).
    function escrowBalance() external view returns (uint256);

    /// @notice What the live tickets paid (what refunds would pay in all), and the ratio refunds
    /// pay of each ticket's price once the event is cancelled (1e18: in full).
    function refundBooks() external view returns (uint256 owed, uint256 ratio);

    /// @notice The refund policy: steps from the earliest deadline to the latest (none: no
    /// returns), and whether exchanges are offered.
    function refundPolicy() external view returns (RefundStep[] memory steps, bool exchanges);

    /// @notice What returning the ticket would pay now (0 once every deadline has passed or with no
    /// policy) and until when that amount holds (the current step's deadline; the last deadline
    /// once closed; 0 with no policy). Does not check the holder's other conditions (listed, used).
    function returnQuote(uint256 tokenId) external view returns (uint256 refund, uint256 until);

    /// @notice ERC-7572 contract-level metadata.
    function contractURI() external view returns (string memory);

    function tierOptions(uint256 tierId) external view returns (TierOptions memory);

    function seatMap(uint256 tierId) external view returns (SeatBlock[] memory);

    /// @notice The seat a seated ticket holds (zeroes for unseated tiers).
    function seatOf(uint256 tokenId) external view returns (Seat memory);

    /// @notice Whether the seat is sold or held. On a run's tier name the seat with its performance:
    /// `slot * 1_000_000_000 + seat`.
    function isSeatTaken(uint256 tierId, uint256 seat) external view returns (bool);

    /// @notice Whether the organizer holds the seat back (it also reads as taken); a run's seat as
    /// in {isSeatTaken}.
    function isSeatHeld(uint256 tierId, uint256 seat) external view returns (bool);

    /// @notice When the gate may admit this ticket: [start, end), both 0 for any time (a calendar
    /// slot's ticket: its slot's window).
    function entryWindow(uint256 tokenId) external view returns (uint40 start, uint40 end);

    /// @notice A calendar slot: whether it is offered, its entry window, when its sale closes, and
    /// its places booked out of the shared capacity. Reverts {UnknownCalendar}.
    function slotInfo(uint256 calendarId, uint256 slot) external view returns (SlotInfo memory);

    /// @notice The ticket's face value: its tier's regular price.
    function faceValue(uint256 tokenId) external view returns (uint256);

    function voucherUses(bytes32 codeId) external view returns (uint256 used, bool revoked);

    /// @notice The unit price `buyer` pays for `tierId` now: the early price while it runs, less
    /// the voucher's discount (pass codeId 0 for none; the signature is checked only at purchase).
    function priceOf(uint256 tierId, address buyer, Voucher calldata voucher) external view returns (uint256);

    function listing(uint256 tokenId) external view returns (Listing memory);

    /// @notice Whether the listing for `tokenId` can be bought now, and if not, why.
    function listingState(uint256 tokenId) external view returns (ListingState);

    /// @notice The highest resale price for `tokenId`: the price it was bought for times the cap.
    function resaleCap(uint256 tokenId) external view returns (uint256);

    function credits(address account) external view returns (uint256);

    /// @notice Accrued, not yet withdrawn resale royalties and platform fees.
    function accruedRoyalties() external view returns (uint256 royalties, uint256 platformFees);

    /// @notice A sales channel (reverts {UnknownChannel} for an id never added).
    function channel(uint256 channelId) external view returns (ChannelInfo memory);

    /// @notice How many sales channels the event has (their ids run from 1).
    function channelCount() external view returns (uint256);

    /// @notice The membership program contract the event counts in (address(0): none).
    function membership() external view returns (address);

    /// @notice A tier's member perks (all zero: none).
    function tierPerks(uint256 tierId) external view returns (TierPerks memory);
}
