// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CalendarParams, CheckInSkip, RefundStep, SeatBlock} from "./IEventTicketTypes.sol";

/// @title Every event a Chainpass event contract emits besides the ERC standards' own.
interface IEventTicketEvents {
    event TierAdded(
        uint256 indexed tierId,
        string name,
        uint256 price,
        uint256 supply,
        uint256 maxPerWallet,
        uint40 saleStart,
        uint40 saleEnd
    );

    event TierUpdated(
        uint256 indexed tierId,
        string name,
        uint256 price,
        uint256 supply,
        uint256 maxPerWallet,
        uint40 saleStart,
        uint40 saleEnd
    );

    event TierPauseChanged(uint256 indexed tierId, bool paused);

    event TicketsPurchased(
        address indexed buyer,
        address indexed recipient,
        uint256 indexed tierId,
        uint256 firstTokenId,
        uint256 quantity,
        uint256 totalPaid
    );

    /// @notice A gate admitted the ticket (the block's timestamp is the time of the check-in).
    event CheckedIn(uint256 indexed tokenId, address indexed holder, address gate);
    /// @notice The organizer undid a check-in (a key that should not have checked it in, a
    /// postponed event): the ticket is valid again.
    event CheckInUndone(uint256 indexed tokenId, address indexed by);
    event CheckInLeadChanged(uint8 hours_);

    event CheckInSkipped(uint256 indexed tokenId, CheckInSkip reason);

    event Gifted(uint256 indexed tokenId, address indexed from, address indexed to, uint256 giftsUsed);

    event EventCancelled(address indexed by, uint256 timestamp);
    /// @notice Refunds are open: each pays `ratio` (of 1e18) of the ticket's price, which is 1e18
    /// unless the escrow fell short of what the live tickets paid (a currency that lost funds).
    event RefundsOpened(uint256 escrow, uint256 owed, uint256 ratio);

    event EventRescheduled(uint40 start, uint40 end);

    event Refunded(uint256 indexed tokenId, address indexed holder, address recipient, uint256 amount);

    event ProceedsWithdrawn(address indexed by, address indexed payout, uint256 amount, uint256 platformFee);

    event DenyListUpdated(address indexed account, bool denied);

    event PayoutChanged(address indexed payout);

    event GiftAllowanceChanged(uint8 giftsPerHolder);

    event MetadataURIChanged(string metadataURI);

    event TierOptionsSet(
        uint256 indexed tierId,
        uint96 earlyPrice,
        uint40 earlyUntil,
        uint40 entryStart,
        uint40 entryEnd,
        uint40 presaleStart,
        bytes32 presaleRoot
    );

    event SeatMapSet(uint256 indexed tierId, SeatBlock[] blocks, uint256 seats);

    event VoucherRedeemed(
        bytes32 indexed codeId, address indexed buyer, uint256 indexed tierId, uint256 quantity, uint256 discount
    );

    event VoucherRevoked(bytes32 indexed codeId);

    /// @notice An organizer refund put the ticket's place back on sale (for a seat: that seat).
    event InventoryReleased(uint256 indexed tierId, uint256 indexed tokenId);

    /// @notice The organizer held these seats back from sale (production, press, wheelchair spaces).
    event SeatsHeld(uint256 indexed tierId, uint256[] seats);
    /// @notice The organizer put held seats back on sale.
    event SeatsReleased(uint256 indexed tierId, uint256[] seats);

    /// @notice A ticket was exchanged for `newTokenId` at `price` (the new ticket's recorded price):
    /// the holder paid `paid` more, or was refunded `refunded` (the rest of the difference stays in
    /// the escrow). The old ticket's place is back on sale, as with {InventoryReleased}.
    event TicketExchanged(
        uint256 indexed tokenId, uint256 indexed newTokenId, address indexed holder, uint256 price, uint256 paid, uint256 refunded
    );

    /// @notice The organizer set the refund policy (it can only become more generous).
    event RefundPolicySet(RefundStep[] steps, bool exchanges);
    /// @notice The holder returned a ticket under the refund policy: `refunded` was paid to it
    /// (credited if the push failed), `kept` of the price stays in the organizer's escrow, and the
    /// ticket's place is back on sale (as with {InventoryReleased}, which a return does not also emit).
    event TicketReturned(uint256 indexed tokenId, address indexed holder, uint256 refunded, uint256 kept);

    /// @notice ERC-7572: contract-level metadata changed.
    event ContractURIUpdated();

    event Listed(uint256 indexed tokenId, address indexed seller, uint256 price);

    event ListingUpdated(uint256 indexed tokenId, address indexed seller, uint256 price);

    event ListingCancelled(uint256 indexed tokenId, address indexed seller);

    /// @notice A listing was bought for `price`. Kept to what nothing else says, to keep the
    /// purchase cheap: the seller and the buyer are the `from` and `to` of the {IERC721-Transfer}
    /// just before it; the royalty is `price * royaltyBps / 10_000` and the platform fee
    /// `price * platformFeeBps / 10_000` (both fixed when the event was created); the seller
    /// received the rest (or a credit: {PaymentCredited}).
    event ResaleSold(uint256 indexed tokenId, uint256 price);

    /// @notice A payment that could not be pushed was credited for {withdrawCredits}.
    event PaymentCredited(address indexed account, uint256 amount);

    event CreditsWithdrawn(address indexed account, address indexed recipient, uint256 amount);

    event RoyaltiesWithdrawn(address indexed payout, uint256 royalties);

    /// @notice Platform fees (from resales and from the organizer's withdrawal) sent to the factory.
    event PlatformFeesWithdrawn(address indexed factory, uint256 amount);
    /// @notice A timed-entry calendar was added, with the tiers that sell its slots.
    event CalendarAdded(uint256 indexed calendarId, CalendarParams params, uint256[] tierIds);
    /// @notice Days of a calendar were closed (no slot offered) or opened again.
    event CalendarDaysClosed(uint256 indexed calendarId, uint256[] dayIndexes, bool closed);

    /// @notice The event now counts in the membership program of `membership` (its organizer's).
    event MembershipSet(address indexed membership);
    event TierPerksSet(
        uint256 indexed tierId, bool membersOnly, uint8 minLevel, uint8 perkLevel, uint16 discountBps, uint16 extraPerWallet
    );

    /// @notice The organizer added a sales channel (a box office, an agency, an influencer's link):
    /// purchases that name it earn `payout` `commissionBps` of their price, paid at settlement.
    event ChannelAdded(uint256 indexed channelId, address indexed payout, uint256 commissionBps, string label);
    event ChannelPayoutChanged(uint256 indexed channelId, address indexed payout);
    /// @notice The channel takes no more sales (what it earned stays owed to it).
    event ChannelClosed(uint256 indexed channelId);
    /// @notice A purchase through the channel: tickets `firstTokenId` onward, `commission` owed to it.
    event ChannelSale(uint256 indexed channelId, uint256 firstTokenId, uint256 quantity, uint256 commission);
    /// @notice A ticket sold through the channel was refunded, returned or exchanged: its commission is taken back.
    event ChannelCommissionReversed(uint256 indexed channelId, uint256 indexed tokenId, uint256 commission);
    /// @notice At settlement the channel's commission was credited to its payout (for {withdrawCredits}).
    event ChannelCommissionPaid(uint256 indexed channelId, address indexed payout, uint256 commission);
}
