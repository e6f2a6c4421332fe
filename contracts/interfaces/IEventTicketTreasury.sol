// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEventTicketErrors} from "./IEventTicketErrors.sol";
import {IEventTicketEvents} from "./IEventTicketEvents.sol";
import {RefundStep} from "./IEventTicketTypes.sol";

/// @title The money that leaves an event: single refunds, proceeds after settlement, resale
/// royalties, platform fees and credits. Implemented by EventTicketTreasury, which each event
/// reaches through the manager's fallback (delegatecall), in the event's own storage. Each
/// destination is paid in a call of its own, so one that cannot receive never holds up another.
interface IEventTicketTreasury is IEventTicketErrors, IEventTicketEvents {
    /// @notice Refunds one ticket before the event (customer service): the holder is paid the
    /// ticket's price (credited if the transfer fails) and the ticket burned. With `release` its
    /// place goes back on sale (a seated ticket's seat becomes free); otherwise it stays retired.
    /// @dev Requirements: organizer role; event live; ticket not checked in.
    /// Emits {Refunded}, and {InventoryReleased} when released.
    function refundTicket(uint256 tokenId, bool release) external;

    /// @notice Sets the refund policy: 1 to 4 steps, each "until `secondsBefore` seconds before
    /// the start, returns pay `shareBps` of the price" (deadlines and shares strictly decreasing),
    /// and whether tickets may be exchanged. Events start with no returns; a policy can afterwards
    /// only become more generous, at every moment, and exchanges once offered stay offered.
    /// @dev Requirements: organizer role; event live. Reverts {InvalidRefundPolicy},
    /// {RefundPolicyLessGenerous}, {ExchangesAlreadyOffered}. Emits {RefundPolicySet}.
    function setRefundPolicy(RefundStep[] calldata steps, bool exchanges) external;

    /// @notice Exchanges a ticket for one of another tier, slot or seat of this event, in one
    /// transaction: the old ticket is burned and its place goes back on sale, a new one is minted to
    /// the same holder at the target tier's price now (its price recorded). A dearer target costs
    /// the difference (sent as ETH or taken in the token from the caller, at most `maxPayment`); a
    /// cheaper one refunds the difference at the refund policy's share now (0 once its deadlines
    /// have passed), the rest staying in the escrow. `slot`: the calendar slot (or performance) on a
    /// calendar tier, else 0; `seat`: the seat on a seated target, else 0.
    /// @dev Requirements: the policy offers exchanges ({ExchangesNotOffered}), before the old
    /// ticket's start ({ExchangeClosed}); as {returnTicket} for the old ticket (holder or approved,
    /// not used, not listed, not denied); the target on public sale, not paused, with room or the
    /// seat free, within its per-wallet limit (an exchange to another tier counts as a purchase of it); not the same
    /// unseated tier in the same slot ({InvalidExchange}); a calendar target's slot offered, on sale
    /// and with room ({SlotNotOffered}, {SlotSaleClosed}, {SlotFull}). Emits {Transfer} twice and
    /// {TicketExchanged}.
    /// @return newTokenId The new ticket.
    function exchangeTicket(uint256 tokenId, uint256 newTierId, uint256 slot, uint256 seat, uint256 maxPayment)
        external
        payable
        returns (uint256 newTokenId);

    /// @notice Pays primary proceeds to the payout address once the event has ended and the
    /// settlement window has passed; the platform fee on them accrues for {withdrawPlatformFees},
    /// so a payout address that cannot receive never blocks the platform. After a cancellation it
    /// pays only what returns kept before it (every live ticket's refund stays in the escrow).
    /// @dev Requirements: organizer or FINANCE role; `block.timestamp >= end + settlementDelay`;
    /// something to withdraw; when cancelled, a surplus kept by returns ({EventIsCancelled}
    /// otherwise). Emits {ProceedsWithdrawn}.
    function withdraw() external;

    /// @notice Lets this event take `value` of its ERC-20 currency from the caller by the currency's
    /// EIP-2612 permit, signed by the caller: with {multicall}, a permit and a purchase
    /// (or a resale purchase) are one transaction and one signature, without a separate approve.
    /// @dev A permit already used (someone sent the signed permit first, to grief) is no failure
    /// when the allowance it gave is still there. Reverts {CurrencyPermitFailed} when the event
    /// sells in ETH, or the permit fails and the allowance is short.
    function permitCurrency(uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Runs several calls of the caller's on this event in one transaction, in order, each
    /// as if sent alone (OpenZeppelin's Multicall: delegatecalls to itself, so `msg.sender` is the
    /// caller's). Not payable: purchases in ETH are sent on their own.
    /// @return results What each call returned.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    /// @notice Pays accrued resale royalties to the payout address. Anyone may call; the
    /// destination is fixed. Emits {RoyaltiesWithdrawn}.
    function withdrawRoyalties() external;

    /// @notice Pays accrued platform fees (resales, withdrawn proceeds) to the factory. Anyone may
    /// call; the destination is fixed. Emits {PlatformFeesWithdrawn}.
    function withdrawPlatformFees() external;

    /// @notice Pays the caller what the contract owes it from failed pushes. Emits {CreditsWithdrawn}.
    function withdrawCredits() external;

    /// @notice As {withdrawCredits}, paying `recipient`: for a credited account that cannot
    /// receive (a contract without `receive`, an address the token blocks).
    /// @dev Requirements: a credit; `recipient` not zero and not denied; a denied caller only to
    /// itself (`AddressDenied`). Emits {CreditsWithdrawn}.
    function withdrawCreditsTo(address recipient) external;

    /// @notice Changes the price of the caller's active listing. Emits {ListingUpdated}.
    function updateListing(uint256 tokenId, uint256 price) external;

    /// @notice Withdraws a listing; the seller of record or the token's current holder may do it.
    /// Emits {ListingCancelled}.
    function cancelListing(uint256 tokenId) external;
}
