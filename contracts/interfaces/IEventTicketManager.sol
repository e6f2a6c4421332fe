// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EventParams, TierParams} from "./IEventTicketTypes.sol";
import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";

/// @title The organizer console of an event, and the money that leaves it (proceeds, royalties,
/// platform fees, credits). Implemented by EventTicketManager, which each event reaches through
/// its fallback (delegatecall), in the event's own storage.
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

    /// @notice Returns a ticket under the event's refund policy: the holder is paid the share of the
    /// price it paid that the policy gives at this moment (credited if the transfer fails), the
    /// ticket is burned and its place goes back on sale (a seat becomes free, otherwise the tier
    /// gains one unit of supply); the rest of the price stays in the escrow, the organizer's.
    /// Deadlines count back from the ticket's start: a timed ticket's entry start, else the event's.
    /// @dev Requirements: the holder or an account it approved; event live (after a cancellation,
    /// {claimRefund} pays the full price); not checked in ({TicketAlreadyUsed}), not listed
    /// ({TicketListed}: cancel the listing first), holder not denied ({AddressDenied}); the policy
    /// offers returns ({ReturnsNotOffered}) and a deadline has not passed ({ReturnsClosed}).
    /// Emits {Transfer} (the burn) and {TicketReturned}.
    function returnTicket(uint256 tokenId) external;

    /// @notice Gives a ticket away for free. Under the Capped policy this is the only transfer
    /// outside the resale market, limited to `giftsPerHolder` per holder.
    /// @dev Requirements: caller owns or is approved for the token; the recipient is not the
    /// holder ({GiftToHolder}); neither holder nor recipient denied; the policy allows it. Emits
    /// {Gifted} and {IERC721-Transfer}.
    function gift(uint256 tokenId, address to) external;

    /// @notice Refunds a ticket of a cancelled event to its holder: the token's primary price is
    /// paid back (times the refund ratio, 1 unless the escrow fell short; see {RefundsOpened}) and
    /// the token burned.
    /// @dev Requirements: event cancelled; caller owns or is approved for the token.
    /// Emits {Refunded} and {IERC721-Transfer} to address(0).
    function claimRefund(uint256 tokenId) external;

    /// @notice As {claimRefund}, paying `recipient`. A denied holder can only be refunded to itself.
    function claimRefundTo(uint256 tokenId, address recipient) external;

    /// @notice Admits tickets at the gate. Tokens already used or not minted are skipped, so one
    /// used ticket never reverts a batch.
    /// @dev Requirements: GATE role; event not cancelled; from `start - checkInLeadHours` until
    /// `end + settlementDelay` (gates that were offline can still record the night's admissions).
    /// Emits {CheckedIn} per admission (and {CheckInSkipped} per skip), plus ERC-4906
    /// {MetadataUpdate} for a single admission or one {BatchMetadataUpdate} spanning a batch.
    /// @return admitted How many tokens were newly checked in.
    function checkIn(uint256[] calldata tokenIds) external returns (uint256 admitted);
}
