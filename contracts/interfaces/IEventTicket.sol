// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice How a ticket may change hands before the event ends.
/// @dev Open: any ERC-721 transfer. Capped: only through the contract's capped resale market and
/// the organizer's free-gift allowance. Locked: soulbound (ERC-5192) until the event ends.
enum TransferPolicy {
    Open,
    Capped,
    Locked
}

/// @notice Why `checkIn` skipped a token instead of admitting it.
enum CheckInSkip {
    AlreadyCheckedIn,
    NotMinted
}

/// @notice Event data supplied by the organizer at creation.
struct EventParams {
    string name;
    string symbol;
    /// ipfs:// URI of the event metadata JSON (ERC-7572 contractURI).
    string metadataURI;
    uint40 start;
    uint40 end;
    /// address(0) for native ETH, otherwise an ERC-20 fixed for the life of the event.
    address currency;
    /// Receives primary proceeds and the ERC-2981 royalty.
    address payout;
    uint16 royaltyBps;
    /// Resale price ceiling in basis points of the token's face value (10_000 = face value,
    /// 0 = no resale through the market).
    uint16 resaleCapBps;
    TransferPolicy policy;
    /// Free gifts each holder may make under the Capped policy.
    uint8 giftsPerHolder;
}

/// @notice A ticket type as the organizer defines it.
struct TierParams {
    string name;
    uint96 price;
    uint24 supply;
    /// 0 means no per-wallet limit.
    uint16 maxPerWallet;
    uint40 saleStart;
    uint40 saleEnd;
}

/// @notice A ticket type with its live counters.
struct Tier {
    string name;
    uint96 price;
    uint24 supply;
    uint24 sold;
    uint16 maxPerWallet;
    uint40 saleStart;
    uint40 saleEnd;
    bool paused;
}

/// @notice Everything about the event in one read, for the UI, the index and the renderer.
struct EventInfo {
    string name;
    string symbol;
    string metadataURI;
    address factory;
    address currency;
    address payout;
    uint40 start;
    uint40 end;
    uint24 settlementDelay;
    uint16 platformFeeBps;
    uint16 royaltyBps;
    uint16 resaleCapBps;
    TransferPolicy policy;
    uint8 giftsPerHolder;
    uint8 tierCount;
    bool cancelled;
}

/// @notice One ticket's facts, for the gate, the UI and the renderer.
struct TicketInfo {
    address holder;
    uint256 tierId;
    uint256 serial;
    uint256 pricePaid;
    bool checkedIn;
}

/// @title One event's ticket collection: tiers, primary sale, transfer policy, check-in, escrow.
/// @notice Token ids encode their tier: `tokenId = tierId * 1_000_000 + serial`, serial from 1.
interface IEventTicket {
    // ------------------------------------------------------------------ errors: configuration
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

    // ------------------------------------------------------------------ errors: sales
    error InvalidQuantity(uint256 quantity);
    error TierIsPaused(uint256 tierId);
    error SaleNotOpen(uint256 tierId, uint40 opensAt, uint40 closesAt);
    error SoldOut(uint256 tierId, uint256 requested, uint256 remaining);
    error WalletLimitExceeded(uint256 tierId, address wallet, uint256 requested, uint256 remaining);
    error IncorrectPayment(uint256 expected, uint256 received);
    error AddressDenied(address account);

    // ------------------------------------------------------------------ errors: transfers
    /// @notice Locked policy: the token is soulbound until the event ends.
    error TransferLocked(uint256 tokenId, uint40 unlocksAt);
    /// @notice Capped policy: plain transfers are refused; use the resale market or a gift.
    error TransferRestricted(uint256 tokenId);
    /// @notice A checked-in ticket stays with its holder until the event ends.
    error TicketAlreadyUsed(uint256 tokenId, uint40 unlocksAt);
    error GiftAllowanceExhausted(address holder, uint256 used, uint256 allowed);

    // ------------------------------------------------------------------ errors: lifecycle and money
    error EventIsCancelled();
    error EventNotCancelled();
    error EventAlreadyEnded(uint40 end);
    error CheckInClosed(uint256 closedAt);
    error WithdrawalLocked(uint256 availableAt);
    error NothingToWithdraw();
    /// @notice A denied holder may be refunded only to its own address.
    error RefundRecipientNotAllowed(address holder, address recipient);

    // ------------------------------------------------------------------ events
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
    event CheckedIn(uint256 indexed tokenId, address indexed holder, address gate, uint256 timestamp);
    event CheckInSkipped(uint256 indexed tokenId, CheckInSkip reason);
    event Gifted(uint256 indexed tokenId, address indexed from, address indexed to, uint256 giftsUsed);
    event EventCancelled(address indexed by, uint256 timestamp);
    event EventRescheduled(uint40 start, uint40 end);
    event Refunded(uint256 indexed tokenId, address indexed holder, address recipient, uint256 amount);
    event ProceedsWithdrawn(address indexed by, address indexed payout, uint256 amount, uint256 platformFee);
    event DenyListUpdated(address indexed account, bool denied);
    event PayoutChanged(address indexed payout);
    event GiftAllowanceChanged(uint8 giftsPerHolder);
    event MetadataURIChanged(string metadataURI);
    /// @notice ERC-7572: contract-level metadata changed.
    event ContractURIUpdated();

    // ------------------------------------------------------------------ setup
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

    // ------------------------------------------------------------------ tiers (organizer)
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

    // ------------------------------------------------------------------ primary sale
    /// @notice Buys `quantity` tickets of `tierId` for `recipient`, paying the exact price in the
    /// event's currency (msg.value for ETH, an approved `transferFrom` for the ERC-20).
    /// @dev Requirements: event not cancelled; tier exists, not paused, sale window open; supply
    /// left; recipient's per-wallet limit; neither buyer nor recipient denied.
    /// Emits {TicketsPurchased} and one {IERC721-Transfer} per ticket.
    /// @return firstTokenId Tokens are `firstTokenId` .. `firstTokenId + quantity - 1`.
    function buy(uint256 tierId, uint256 quantity, address recipient) external payable returns (uint256 firstTokenId);

    // ------------------------------------------------------------------ gifts
    /// @notice Gives a ticket away for free. Under the Capped policy this is the only transfer
    /// outside the resale market, limited to `giftsPerHolder` per holder.
    /// @dev Requirements: caller owns or is approved for the token; recipient not denied; the
    /// policy allows it. Emits {Gifted} and {IERC721-Transfer}.
    function gift(uint256 tokenId, address to) external;

    /// @notice Sets the number of free gifts each holder may make under the Capped policy.
    /// Emits {GiftAllowanceChanged}.
    function setGiftsPerHolder(uint8 giftsPerHolder) external;

    // ------------------------------------------------------------------ check-in
    /// @notice Admits tickets at the gate. Tokens already used or not minted are skipped, so one
    /// used ticket never reverts a batch.
    /// @dev Requirements: GATE role; event not cancelled; before `end + settlementDelay` (gates
    /// that were offline can still record the night's admissions).
    /// Emits {CheckedIn} per admission (and {CheckInSkipped} per skip), plus ERC-4906
    /// {MetadataUpdate} for a single admission or one {BatchMetadataUpdate} spanning a batch.
    /// @return admitted How many tokens were newly checked in.
    function checkIn(uint256[] calldata tokenIds) external returns (uint256 admitted);

    // ------------------------------------------------------------------ lifecycle and money
    /// @notice Cancels the event: sales, check-in and withdrawal stop for good; refunds open.
    /// @dev Requirements: organizer role; before the end; not already cancelled. Emits {EventCancelled}.
    function cancel() external;

    /// @notice Postpones the event. Times may only move later, so escrow is never released early.
    /// @dev Requirements: organizer role; not cancelled, not ended. Emits {EventRescheduled}.
    function reschedule(uint40 start, uint40 end) external;

    /// @notice Refunds a ticket of a cancelled event to its holder: the token's primary price is
    /// paid back and the token burned.
    /// @dev Requirements: event cancelled; caller owns or is approved for the token.
    /// Emits {Refunded} and {IERC721-Transfer} to address(0).
    function claimRefund(uint256 tokenId) external;

    /// @notice As {claimRefund}, paying `recipient`. A denied holder can only be refunded to itself.
    function claimRefundTo(uint256 tokenId, address recipient) external;

    /// @notice Pays primary proceeds to the payout address, less the platform fee, once the event
    /// has ended and the settlement delay has passed.
    /// @dev Requirements: organizer or FINANCE role; not cancelled; `block.timestamp >= end +
    /// settlementDelay`; something to withdraw. Emits {ProceedsWithdrawn}.
    function withdraw() external;

    /// @notice Changes where proceeds and royalties go. Emits {PayoutChanged}.
    function setPayout(address payout) external;

    /// @notice Replaces the event metadata URI. Emits {MetadataURIChanged}, ERC-7572
    /// `ContractURIUpdated` and an ERC-4906 `BatchMetadataUpdate` over every token.
    function setMetadataURI(string calldata metadataURI) external;

    // ------------------------------------------------------------------ deny list
    /// @notice Adds or removes addresses from the deny list. Denied addresses cannot buy or
    /// receive tickets. Emits {DenyListUpdated} per address.
    function setDenied(address[] calldata accounts, bool denied) external;

    // ------------------------------------------------------------------ views
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
}
