// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CalendarFault, ListingState} from "./IEventTicketTypes.sol";

/// @title Every custom error of a Chainpass event (EventTicket and EventTicketManager).
interface IEventTicketErrors {
    /// @notice Only the factory that deployed the implementation may initialize a clone.
    error NotFactory(address caller);
    /// @notice The event must end after it starts, and must not have ended already.
    error InvalidEventTimes(uint40 start, uint40 end);
    error RoyaltyTooHigh(uint256 royaltyBps, uint256 maxBps);
    error InvalidPayout(address payout);
    error EmptyName();
    error TooManyTiers(uint256 max);
    error UnknownTier(uint256 tierId);
    /// @notice Supply must be at least what is sold and at most `MAX_SUPPLY_PER_TIER`.
    error InvalidTierSupply(uint256 tierId, uint256 supply, uint256 sold);
    /// @notice Sales must open before they close, and close no later than the event's end.
    error InvalidSaleWindow(uint256 tierId, uint40 saleStart, uint40 saleEnd);
    /// @notice A sold ticket's refund is its tier's price, so the price is fixed once one sells.
    error TierPriceLocked(uint256 tierId, uint256 sold);
    /// @notice Events can only be postponed, never brought forward.
    error RescheduleNotLater(uint40 start, uint40 end);
    error InvalidQuantity(uint256 quantity);
    error TierIsPaused(uint256 tierId);
    error SaleNotOpen(uint256 tierId, uint40 opensAt, uint40 closesAt);
    error SoldOut(uint256 tierId, uint256 requested, uint256 remaining);
    error WalletLimitExceeded(uint256 tierId, address wallet, uint256 requested, uint256 remaining);
    error IncorrectPayment(uint256 expected, uint256 received);
    /// @notice The currency refused the permit (or has none), and no allowance covers `value`.
    error CurrencyPermitFailed(address currency, address owner, uint256 value);
    error AddressDenied(address account);
    error InvalidEarlyPricing(uint256 tierId, uint256 earlyPrice, uint40 earlyUntil);
    error InvalidEntryWindow(uint256 tierId, uint40 entryStart, uint40 entryEnd);
    error InvalidPresale(uint256 tierId, uint40 presaleStart, uint40 saleStart);
    /// @notice A seat map must describe at least one seat and at most `MAX_SUPPLY_PER_TIER`.
    error InvalidSeatMap(uint256 tierId, uint256 seats);
    /// @notice A block needs rows and seats numbered from 1, and numbers that fit in uint16.
    error InvalidSeatBlock(uint256 tierId, uint256 blockIndex);
    /// @notice The seat map is fixed once a seat of the tier has sold.
    error SeatMapLocked(uint256 tierId, uint256 sold);
    error SeatSelectionRequired(uint256 tierId);
    error NotSeatedTier(uint256 tierId);
    error InvalidSeat(uint256 tierId, uint256 seat);
    error SeatTaken(uint256 tierId, uint256 seat);
    error NotOnAllowlist(uint256 tierId, address wallet);
    error PresaleAllowanceExceeded(uint256 tierId, address wallet, uint256 requested, uint256 remaining);
    /// @notice No open sales channel has this id.
    error UnknownChannel(uint256 channelId);
    /// @notice Only members of the event's program (at the tier's level) may buy this tier, with
    /// their proof in `buyWith`.
    error MembersOnly(uint256 tierId);
    /// @notice The event does not count in a membership program (EventTicketCatalog.setMembership).
    error NoMembershipProgram();
    /// @notice A discount of at most 100% and levels up to the program's maximum (8).
    error InvalidTierPerks(uint256 tierId);
    /// @notice A channel's commission is at most `MAX_COMMISSION_BPS` of a sale.
    error CommissionTooHigh(uint256 commissionBps, uint256 maxBps);
    /// @notice An event has at most `MAX_CHANNELS` sales channels.
    error TooManyChannels(uint256 maxChannels);
    error InvalidVoucher(bytes32 codeId);
    error VoucherWrongEvent(bytes32 codeId, address eventAddress);
    error VoucherSignerNotAuthorized(bytes32 codeId, address signer);
    error VoucherBadSignature(bytes32 codeId);
    error VoucherExpired(bytes32 codeId, uint40 expiresAt);
    error VoucherNotForTier(bytes32 codeId, uint256 tierId);
    error VoucherNotForBuyer(bytes32 codeId, address buyer);
    error VoucherUsedUp(bytes32 codeId, uint256 requested, uint256 remaining);
    error VoucherIsRevoked(bytes32 codeId);
    /// @notice Locked policy: the token is soulbound until the event ends.
    error TransferLocked(uint256 tokenId, uint40 unlocksAt);
    /// @notice Capped policy: plain transfers are refused; use the resale market or a gift.
    error TransferRestricted(uint256 tokenId);
    /// @notice A checked-in ticket stays with its holder until the event ends.
    error TicketAlreadyUsed(uint256 tokenId, uint40 unlocksAt);
    error GiftAllowanceExhausted(address holder, uint256 used, uint256 allowed);
    /// @notice A gift to the ticket's own holder.
    error GiftToHolder(uint256 tokenId, address holder);
    error EventIsCancelled();
    error EventNotCancelled();
    error EventAlreadyEnded(uint40 end);
    error CheckInClosed(uint256 closedAt);
    error WithdrawalLocked(uint256 availableAt);
    error NothingToWithdraw();
    /// @notice A denied holder may be refunded only to its own address.
    error RefundRecipientNotAllowed(address holder, address recipient);
    error ResalePriceAboveCap(uint256 tokenId, uint256 price, uint256 cap);
    error ResaleDisabled();
    error ListingExists(uint256 tokenId, address seller);
    error ListingUnavailable(uint256 tokenId, ListingState state);
    error NotTokenHolder(uint256 tokenId, address caller);
    error NothingOwed(address account);
    /// @notice Capped and Locked policies refuse ERC-721 approvals, so no outside marketplace can
    /// move a ticket around the cap.
    error ApprovalsDisabled();
    /// @notice The price is higher than the most the buyer accepted (it changed since it was shown).
    error PriceAboveLimit(uint256 price, uint256 limit);
    /// @notice The currency delivered less than the price (a fee on transfer): nothing is sold.
    error PaymentNotReceived(uint256 expected, uint256 received);
    /// @notice Gates may check tickets in only from `opensAt` (the start less the check-in lead).
    error CheckInNotOpen(uint256 opensAt);
    /// @notice Only the organizer (until the end) or the platform's arbiter (until the dispute
    /// window closes at `closesAt`) may cancel.
    error CancelNotAllowed(address caller, uint256 closesAt);
    error InvalidRecipient(address recipient);
    /// @notice This event offers no returns (its refund policy has no step).
    error ReturnsNotOffered();
    /// @notice The policy's last return deadline for this ticket passed at `closedAt`.
    error ReturnsClosed(uint256 tokenId, uint256 closedAt);
    /// @notice A listed ticket cannot be returned: cancel the listing first.
    error TicketListed(uint256 tokenId);
    /// @notice Step `step` breaks the policy's shape: 1 to 4 steps, deadlines and shares both
    /// strictly decreasing, each share above 0 and at most 10,000 basis points.
    error InvalidRefundPolicy(uint256 step);
    /// @notice A policy can only become more generous: at `secondsBefore` seconds before the start
    /// the current policy refunds `shareBps`, the new one only `newShareBps`.
    error RefundPolicyLessGenerous(uint256 secondsBefore, uint256 shareBps, uint256 newShareBps);
    /// @notice Exchanges, once offered, cannot be withdrawn.
    error ExchangesAlreadyOffered();
    /// @notice The seat is not held back by the organizer (nothing to release or give).
    error SeatNotHeld(uint256 tierId, uint256 seat);
    /// @notice This event's refund policy does not offer exchanges.
    error ExchangesNotOffered();
    /// @notice Exchanges of this ticket closed at its start, `closedAt`.
    error ExchangeClosed(uint256 tokenId, uint256 closedAt);
    /// @notice A ticket cannot be exchanged for itself, nor for another of the same unseated tier.
    error InvalidExchange(uint256 tokenId, uint256 newTierId);
    /// @notice A calendar rule is broken: `fault` says which, `at` the run (or the slots per day).
    error InvalidCalendar(uint256 calendarId, CalendarFault fault, uint256 at);
    error UnknownCalendar(uint256 calendarId);
    /// @notice The calendar does not offer this slot: outside the season, its run closed that day
    /// of the week, or the day closed.
    error SlotNotOffered(uint256 calendarId, uint256 slot);
    /// @notice The slot's sale closed at `closedAt` (its start less the calendar's lead time).
    error SlotSaleClosed(uint256 calendarId, uint256 slot, uint256 closedAt);
    error SlotFull(uint256 calendarId, uint256 slot, uint256 requested, uint256 remaining);
    /// @notice The tier sells calendar slots: buy it with `buySlot`.
    error SlotSelectionRequired(uint256 tierId);
    /// @notice The tier does not sell this calendar's slots (or any).
    error TierNotOnCalendar(uint256 tierId, uint256 calendarId);
    /// @notice A day with bookings cannot be closed (return or exchange them first).
    error DayHasBookings(uint256 calendarId, uint256 day);
}
