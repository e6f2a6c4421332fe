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
    /// The calendar whose slots it sells (0: none).
    uint8 calendar;
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
    /// Gates may check tickets in from this many hours before the start.
    uint8 checkInLeadHours;
}

/// @notice One ticket's facts, for the gate, the UI and the renderer.
struct TicketInfo {
    address holder;
    uint256 tierId;
    uint256 serial;
    uint256 pricePaid;
    bool checkedIn;
}

/// @notice Optional terms of a tier: early price, timed entry, allowlist presale.
struct TierOptions {
    /// Price until `earlyUntil` (0 with earlyUntil 0: no early price).
    uint96 earlyPrice;
    uint40 earlyUntil;
    /// Timed entry: the gate admits the ticket only inside [entryStart, entryEnd) (both 0: any time).
    uint40 entryStart;
    uint40 entryEnd;
    /// Allowlist presale runs from `presaleStart` until the tier's public sale opens.
    uint40 presaleStart;
    /// Root of an @openzeppelin/merkle-tree StandardMerkleTree of [address, uint256 allowance].
    bytes32 presaleRoot;
}

/// @notice A tier's perks for members of the event's membership program (ChainpassMembership).
struct TierPerks {
    /// Only members at `minLevel` or above may buy (a members' presale); other wallets get
    /// {MembersOnly}, members below it {LevelTooLow}.
    bool membersOnly;
    uint8 minLevel;
    /// Members at `perkLevel` or above pay `discountBps` less, and may buy `extraPerWallet` more
    /// than the tier's per-wallet limit.
    uint8 perkLevel;
    uint16 discountBps;
    uint16 extraPerWallet;
}

/// @notice A block of seats: `rows` rows of `seatsPerRow` seats in one section, numbered from
/// `firstRow` (letters A, B... when `letteredRows`) and `firstSeat`. A tier's seat map is a list
/// of blocks; seat ids (the token serials) count through the blocks in order, from 1.
struct SeatBlock {
    bytes16 section;
    uint16 firstRow;
    uint16 rows;
    uint16 firstSeat;
    uint16 seatsPerRow;
    bool letteredRows;
}

/// @notice Where a seated ticket sits.
struct Seat {
    bytes16 section;
    uint16 row;
    uint16 number;
    bool letteredRow;
}

/// @notice An organizer-signed discount (EIP-712, domain "Chainpass"/"1", this event's chain id
/// and address). Exactly one of `percentOffBps` and `amountOff` is non-zero.
struct Voucher {
    address eventAddress;
    /// 0: any tier.
    uint256 tierId;
    uint16 percentOffBps;
    /// Off each ticket, in the event currency's smallest unit.
    uint96 amountOff;
    /// Tickets the code may discount in total, across purchases.
    uint32 maxUses;
    uint40 expiresAt;
    /// address(0): anyone may use it; otherwise only this buyer.
    address buyer;
    /// The organizer or a VOUCHER_SIGNER; contract signers are checked with EIP-1271.
    address signer;
    /// The code: uses are counted per code id.
    bytes32 codeId;
}

/// @notice Extra inputs to {IEventTicket-buyWith}. Leave a field empty when it does not apply.
struct PurchaseOptions {
    /// Seat ids for a seated tier (quantity must equal their number).
    uint256[] seats;
    /// Allowlist proof and the allowance in the leaf, during a tier's presale.
    bytes32[] proof;
    uint256 allowance;
    /// A discount voucher (codeId 0: none) and its signature.
    Voucher voucher;
    bytes voucherSignature;
    /// The most the buyer accepts to pay in all (the price it was shown); the purchase fails with
    /// {PriceAboveLimit} if the price is higher now.
    uint256 maxTotal;
    /// The calendar slot (timed entry, or a run's performance) for a tier on a calendar; else 0.
    uint256 slot;
    /// The sales channel the purchase came through (a box office, an agency's link); 0: none.
    uint256 channel;
    /// A member's proof for level perks and points (ABI-encoded ChainpassMembership `MemberProof`);
    /// empty for anyone else.
    bytes member;
}

/// @notice Why a listing can no longer be bought.
enum ListingState {
    Active,
    NotListed,
    /// The token moved by another path (gift, transfer, burn) after it was listed.
    TokenMoved,
    CheckedIn,
    EventCancelled,
    EventEnded,
    SellerDenied
}

/// @notice A fixed-price resale offer.
struct Listing {
    address seller;
    uint96 price;
}

/// @notice One step of a refund policy: until `secondsBefore` seconds before the ticket's start
/// (the event's start, or a timed ticket's entry start), a return pays `shareBps` of the price paid.
struct RefundStep {
    uint32 secondsBefore;
    uint16 shareBps;
}

/// @notice A run of back-to-back start times in a calendar's day: `count` slots of the calendar's
/// slot length from `startMinute`, on the days of the week set in `weekdays`.
struct SlotRun {
    /// Local time of the first start, in minutes after midnight (0 to 1,439).
    uint16 startMinute;
    /// Slots in the run (1 to 63).
    uint8 count;
    /// Bit d set: open on day d of the week, 0 = Sunday (as JavaScript's `getUTCDay`).
    uint8 weekdays;
}

/// @notice A season of timed-entry slots, described by a rule instead of slot by slot. Slot ids
/// count from 1 through the days in order and, within a day, through the runs' starts in order:
/// `slot = 1 + day * slotsPerDay + k`. A slot is offered when its run opens on that day of the
/// week and the day is not closed; its entry window is [start, start + slotMinutes).
struct CalendarParams {
    /// The first date, in days since 1970-01-01 (the venue's local date).
    uint32 firstDay;
    /// Dates in the season (1 to 65,535; at most 65,535 slots in all).
    uint16 dayCount;
    /// The venue's offset from UTC, in minutes (-840 to 840): local time = UTC + offset.
    int16 utcOffsetMinutes;
    /// Length of each slot: the entry window.
    uint16 slotMinutes;
    /// A slot's sale closes this many minutes before it starts (0: at its start).
    uint16 saleLeadMinutes;
    /// Places per slot, shared by every ticket type on the calendar (0: no shared limit, as for a
    /// run of performances where the seat map is the limit).
    uint16 capacity;
    /// Up to 6 runs of start times.
    SlotRun[] runs;
    /// Day indexes (from `firstDay`) closed from the start: holidays, private hires.
    uint16[] closedDays;
}

/// @notice Which rule of a calendar is broken (see {IEventTicketErrors-InvalidCalendar}).
enum CalendarFault {
    NoDays,
    SlotLength,
    UtcOffset,
    RunCount,
    RunStart,
    RunSlots,
    RunWeekdays,
    TooManySlots,
    TierNotFree,
    NoTiers,
    ClosedDay
}

/// @notice A calendar slot as the app and the gate see it.
struct SlotInfo {
    /// False when the calendar does not offer it (outside the season, its run closed that day of
    /// the week, the day closed); the other fields are then 0.
    bool offered;
    uint40 start;
    uint40 end;
    /// When its sale closes (its start less the calendar's lead time).
    uint40 saleClosesAt;
    uint16 booked;
    /// Places shared by the calendar's tiers (0: no shared limit).
    uint16 capacity;
}

/// @notice A sales channel as the console and reports see it.
struct ChannelInfo {
    address payout;
    uint16 commissionBps;
    bool open;
    /// Commission earned and not yet paid (credited to the payout at settlement).
    uint128 owed;
}
