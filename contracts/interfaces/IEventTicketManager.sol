// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {
    EventInfo,
    EventParams,
    Seat,
    SeatBlock,
    TicketInfo,
    Tier,
    TierOptions,
    TierParams
} from "./IEventTicketTypes.sol";
import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";

/// @title The organizer console and the read API of an event. Implemented by EventTicketManager,
/// which each event reaches through its fallback (delegatecall), in the event's own storage.
interface IEventTicketManager is IEventTicketErrors, IEventTicketEvents {
    /// @notice Sets up a freshly cloned event. Called by the factory in the clone's creation transaction.
    /// @dev Requirements: caller is the factory; times, royalty, cap, payout and tiers are valid.
    /// Emits: {TierAdded} per tier, {IAccessControl-RoleGranted} for the organizer.
    /// @param organizer Receives the organizer (admin) role.
    /// @param params The event's data.
    /// @param tiers The first ticket types.
    /// @param platformFeeBps Platform fee on primary proceeds, fixed for this event at creation.
    /// @param settlementDelay Seconds after the end before proceeds can be withdrawn.
    function initialize(
        address organizer,
        EventParams calldata params,
        TierParams[] calldata tiers,
        uint16 platformFeeBps,
        uint24 settlementDelay
    ) external;

    /// @notice Adds a ticket type.
    /// @dev Requirements: organizer role; event not cancelled or ended; valid supply and window.
    /// Emits {TierAdded}.
    /// @return tierId The new tier's id (tiers are numbered from 1).
    function addTier(TierParams calldata tier) external returns (uint256 tierId);

    /// @notice Changes a ticket type. Price is fixed once a ticket of the tier has sold; supply
    /// can never drop below what is sold.
    /// @dev Requirements: organizer role; event not cancelled or ended. Emits {TierUpdated}.
    function updateTier(uint256 tierId, TierParams calldata tier) external;

    /// @notice Pauses or resumes sales of a tier. Emits {TierPauseChanged}.
    function setTierPaused(uint256 tierId, bool paused) external;

    /// @notice Sets a tier's early price, entry window and presale. Emits {TierOptionsSet}.
    function setTierOptions(uint256 tierId, TierOptions calldata options) external;

    /// @notice Makes a tier seated with the given seat map; its supply becomes the number of seats.
    /// @dev Requirements: organizer; no seat of the tier sold yet. Emits {SeatMapSet}.
    function setSeatMap(uint256 tierId, SeatBlock[] calldata blocks) external;

    /// @notice Kills a voucher code for good. Emits {VoucherRevoked}.
    function revokeVoucher(bytes32 codeId) external;

    /// @notice Refunds one ticket before the event (customer service): the holder is paid the
    /// ticket's price (credited if the transfer fails) and the ticket burned. With `release` its
    /// place goes back on sale (a seated ticket's seat becomes free); otherwise it stays retired.
    /// @dev Requirements: organizer or FINANCE; event live; ticket not checked in.
    /// Emits {Refunded}, and {InventoryReleased} when released.
    function refundTicket(uint256 tokenId, bool release) external;

    /// @notice Sets the number of free gifts each holder may make under the Capped policy.
    /// Emits {GiftAllowanceChanged}.
    function setGiftsPerHolder(uint8 giftsPerHolder) external;

    /// @notice Cancels the event: sales, check-in and withdrawal stop for good; refunds open.
    /// @dev Requirements: organizer role; before the end; not already cancelled. Emits {EventCancelled}.
    function cancel() external;

    /// @notice Postpones the event. Times may only move later, so escrow is never released early.
    /// @dev Requirements: organizer role; not cancelled, not ended. Emits {EventRescheduled}.
    function reschedule(uint40 start, uint40 end) external;

    /// @notice Changes where proceeds and royalties go. Emits {PayoutChanged}.
    function setPayout(address payout) external;

    /// @notice Replaces the event metadata URI. Emits {MetadataURIChanged}, ERC-7572
    /// `ContractURIUpdated` and an ERC-4906 `BatchMetadataUpdate` over every token.
    function setMetadataURI(string calldata metadataURI) external;

    /// @notice Adds or removes addresses from the deny list. Denied addresses cannot buy or
    /// receive tickets. Emits {DenyListUpdated} per address.
    function setDenied(address[] calldata accounts, bool denied) external;

    function eventInfo() external view returns (EventInfo memory);

    function tier(uint256 tierId) external view returns (Tier memory);

    function ticketInfo(uint256 tokenId) external view returns (TicketInfo memory);

    /// @notice The amount a refund of this token pays: its primary sale price.
    function pricePaid(uint256 tokenId) external view returns (uint256);

    function isCheckedIn(uint256 tokenId) external view returns (bool);

    function isDenied(address account) external view returns (bool);

    /// @notice Tickets of `tierId` bought for `wallet` (counted only for tiers with a wallet limit).
    function purchased(uint256 tierId, address wallet) external view returns (uint256);

    function giftsUsed(address holder) external view returns (uint256);

    /// @notice Primary proceeds currently held for the organizer (balance less amounts owed to others).
    function escrowBalance() external view returns (uint256);

    /// @notice ERC-7572 contract-level metadata.
    function contractURI() external view returns (string memory);

    function tierOptions(uint256 tierId) external view returns (TierOptions memory);

    function seatMap(uint256 tierId) external view returns (SeatBlock[] memory);

    /// @notice The seat a seated ticket holds (zeroes for unseated tiers).
    function seatOf(uint256 tokenId) external view returns (Seat memory);

    function isSeatTaken(uint256 tierId, uint256 seat) external view returns (bool);

    /// @notice When the gate may admit this ticket: [start, end), both 0 for any time.
    function entryWindow(uint256 tokenId) external view returns (uint40 start, uint40 end);

    /// @notice The ticket's face value: its tier's regular price. Resale is capped against it.
    function faceValue(uint256 tokenId) external view returns (uint256);

    function voucherUses(bytes32 codeId) external view returns (uint256 used, bool revoked);
}
